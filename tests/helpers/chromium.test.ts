/**
 * The browser the tests launch and the one `.ci/run` installs are found by one function (resolveChromium), and
 * in CI a missing browser fails instead of skipping. Checked with fake executables in a temporary PATH.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { resolveChromium } from './chromium.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs')

const dir = mkdtempSync(join(tmpdir(), 'lt-chromium-'))
function file(path: string, mode: number): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, '#!/bin/sh\nexit 0\n')
  chmodSync(path, mode)
  return path
}
const a = file(join(dir, 'a/chromium'), 0o755)
const b = file(join(dir, 'b/google-chrome'), 0o755)
const notExec = file(join(dir, 'c/chromium'), 0o644)

/** Runs a TypeScript file (or `-e` code) under tsx with only `env` (plus the Node binary's folder on PATH). */
const tsx = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [TSX, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { HOME: process.env.HOME ?? '/tmp', ...env } })

describe('resolveChromium: one lookup for the tests and for .ci/run', () => {
  it('CHROMIUM_PATH wins, and a wrong one is reported, not silently replaced', () => {
    expect(resolveChromium({ CHROMIUM_PATH: b, PATH: dirname(a) }).path).toBe(b)
    const wrong = resolveChromium({ CHROMIUM_PATH: join(dir, 'nope'), PATH: dirname(a) })
    expect(wrong.path).toBeNull()
    expect(wrong.tried).toEqual([`CHROMIUM_PATH=${join(dir, 'nope')}`])
  })

  it('on PATH: names in order (chromium before google-chrome), directories in order, non-executables skipped', () => {
    expect(resolveChromium({ PATH: [dirname(b), dirname(a)].join(':') }).path).toBe(a)
    expect(resolveChromium({ PATH: [dirname(notExec), dirname(b)].join(':') }).path).toBe(b)
    expect(resolveChromium({ PATH: [dirname(notExec), dirname(a)].join(':') }).path).toBe(a)
  })

  it('chromium-path.ts (what .ci/run asks) prints the same path, or exits 1 saying what it tried', () => {
    const found = tsx(['tests/helpers/chromium-path.ts'], { PATH: `${dirname(process.execPath)}:${dirname(a)}`, CHROMIUM_PATH: a })
    expect(found.status, found.stderr).toBe(0)
    expect(found.stdout.trim()).toBe(a)
    const missing = tsx(['tests/helpers/chromium-path.ts'], { PATH: dirname(process.execPath), CHROMIUM_PATH: join(dir, 'nope') })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/no Chromium found \(tried CHROMIUM_PATH=/)
  }, 120_000)

  it('a missing browser skips outside CI and fails in CI; .ci/run asks chromium-path.ts and exports CI=true', () => {
    const code = `import('./tests/helpers/chromium.ts').then((m) => console.log(JSON.stringify(m.chromiumSkipReason())))`
    const env = { PATH: dirname(process.execPath), CHROMIUM_PATH: join(dir, 'nope') }
    const local = tsx(['-e', code], env)
    expect(local.status, local.stderr).toBe(0)
    expect(local.stdout).toMatch(/Chromium not found/)
    const ci = tsx(['-e', code], { ...env, CI: 'true' })
    expect(ci.status).not.toBe(0)
    expect(ci.stderr).toMatch(/browser tests are required in CI/)
    const run = readFileSync(join(ROOT, '.ci/run'), 'utf8')
    expect(run).toMatch(/tsx tests\/helpers\/chromium-path\.ts/)
    expect(run).not.toMatch(/command -v chromium/)
    expect(run.indexOf('export CI=true')).toBeGreaterThan(0)
    expect(run.indexOf('export CI=true')).toBeLessThan(run.lastIndexOf('npm test'))
  }, 120_000)
})
