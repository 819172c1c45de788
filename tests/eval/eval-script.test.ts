/** `npm run eval` on a fresh clone: the dataset is built, not committed, so a missing one must name its build command. */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', ...args], { encoding: 'utf8' })

describe('npm run eval, bad input', () => {
  it('a missing dataset exits 2 and names the command that rebuilds it (from the committed dataset card)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latentype-eval-'))
    copyFileSync('data/glyphs/card.json', join(dir, 'card.json'))
    const r = run(['--model', 'models/glyphs.onnx', '--data', join(dir, 'glyphs.ltds')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/is not on this machine .* build it first: `npm run data -- glyphs --fonts 300 --out data\/glyphs` \(rebuilds byte-identically: SHA-256 [0-9a-f]{16}/)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  }, 120_000)

  it('a missing model exits 2 and says which files to pass', () => {
    const r = run(['--model', 'models/nope.onnx', '--data', 'data/glyphs/glyphs.ltds'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/no model file at models\/nope\.onnx — pass --model models\/glyphs\.onnx/)
  }, 120_000)
})
