/**
 * `npm run train` and its --out folder: an existing run is not cleared without --force (--resume continues it),
 * and a read-only or full disk stops with the path and the fix (exit 2), not an ENOENT/ENOSPC stack.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dir = mkdtempSync(join(tmpdir(), 'lt-train-out-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function train(out: string, ...extra: string[]): { code: number | null; out: string; err: string } {
  const args = ['--import', 'tsx', join(ROOT, 'scripts/train.ts'), '--data', 'mnist', '--spec', 'tiny', '--steps', '2', '--batch', '8', '--out', out, ...extra]
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 })
  return { code: r.status, out: r.stdout, err: r.stderr.replace(/npm warn[^\n]*\n/g, '') }
}

function tinyTmpfs(): string | null {
  if (process.platform !== 'linux') return null
  const path = mkdtempSync(join(tmpdir(), 'lt-train-fs-'))
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24k', 'tmpfs', path]).status === 0 ? path : null
}
const mnt = tinyTmpfs()
if (!mnt) console.warn('[skip] training on a full/read-only disk: cannot mount a tmpfs here (needs root in a container or VM)')
afterAll(() => {
  if (mnt) spawnSync('umount', [mnt])
})

describe('train --out', () => {
  it('an existing run folder without --resume asks for --force and keeps metrics.jsonl; --force starts over', () => {
    const out = join(dir, 'run')
    mkdirSync(out)
    writeFileSync(join(out, 'metrics.jsonl'), '{"step":1,"old":true}\n')
    writeFileSync(join(out, 'notes.txt'), 'mine')
    const r = train(out)
    expect(r.code).toBe(2)
    expect(r.err.trim()).toBe(`error (OUTPUT_EXISTS): ${out} already holds a training run (metrics.jsonl) — continue it with --resume, pass --force to delete it and start over, or choose another --out`)
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toBe('{"step":1,"old":true}\n')
    expect(train(out, '--resume', '--force').err).toMatch(/--resume and --force contradict each other/)
    const forced = train(out, '--force')
    expect(forced.code, forced.err).toBe(0)
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).not.toMatch(/"old"/)
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['model.onnx', 'config.json', 'notes.txt']))
  }, 600_000)

  it('--out that is a file → exit 2 with the path and the fix', () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    const r = train(file)
    expect(r.code).toBe(2)
    expect(r.err.trim()).toBe(`error (FILE_SYSTEM): cannot use the run folder ${file}: a file is in the way where a folder is needed — choose another --out (or move that file away)`)
  }, 300_000)

  it.skipIf(!mnt)('a read-only --out stops before training; a full one stops with "the disk is full" naming the file', () => {
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt!]).status).toBe(0)
    try {
      const r = train(join(mnt!, 'ro'))
      expect(r.code).toBe(2)
      expect(r.err.trim()).toBe(`error (FILE_SYSTEM): cannot write the run folder ${join(mnt!, 'ro')}: the file system is read-only — choose another --out on a writable disk`)
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt!])
    }
    const full = train(join(mnt!, 'full'))
    expect(full.code).toBe(2)
    expect(full.err).toMatch(new RegExp(`^\\s*error \\(FILE_SYSTEM\\): cannot write ${join(mnt!, 'full')}/[\\w./-]+: the disk is full — free some space or choose another --out`))
    expect(full.err).not.toMatch(/\n\s+at /)
    expect(existsSync(join(mnt!, 'full'))).toBe(true)
  }, 600_000)
})
