/**
 * The CLI and the file system: errors name the path and the fix (exit 2), `generate` writes its whole output set
 * or nothing, `info --json | head` ends quietly. Real ENOSPC/EROFS come from a tiny tmpfs where this machine lets
 * the tests mount one (root in a container usually can); elsewhere those two cases are skipped with the reason.
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../sdk/cli/main.js'
import { writeOutputSet } from '../../sdk/cli/output.js'
import { describeFsError } from '../../sdk/node/fs-errors.js'
import { tinyModelBytes } from '../helpers/models.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const errors: string[] = []
  const orig = console.error
  console.error = (s: string) => errors.push(s)
  try {
    return { code: await main(args, () => undefined), err: errors.join('\n') }
  } finally {
    console.error = orig
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lt-fs-'))
const model = join(dir, 'tiny.onnx')
writeFileSync(model, tinyModelBytes())
const gen = (out: string, n = 2): string[] => ['generate', '--model', model, '--class', 'heart', '-n', String(n), '--seed', '1', '--out', out]

/** A 64 KiB tmpfs, or the reason there is none. */
function mountTmpfs(): { path: string } | { skip: string } {
  if (process.platform !== 'linux') return { skip: 'tmpfs mounts need Linux' }
  const path = mkdtempSync(join(tmpdir(), 'lt-tmpfs-'))
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', path], { encoding: 'utf8' })
  if (r.status !== 0) return { skip: `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()}) — ENOSPC/EROFS cases need root in a container or VM` }
  return { path }
}
const fsMount = mountTmpfs()
if ('skip' in fsMount) console.warn(`[skip] ${fsMount.skip}`)

afterAll(() => {
  if ('path' in fsMount) spawnSync('umount', [fsMount.path])
  rmSync(dir, { recursive: true, force: true })
})

describe('CLI file-system errors', () => {
  it('--out is a file, or under a file → exit 2 naming the path (and where the file is in the way) and the fix', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    const a = await run(gen(file))
    expect(a.code).toBe(2)
    expect(a.err).toBe(`latentype: cannot write the output folder ${file}: a file is in the way where a folder is needed — choose another --out (or move that file away)`)
    const b = await run(gen(join(file, 'sub')))
    expect(b.code).toBe(2)
    expect(b.err).toBe(`latentype: cannot write the output folder ${file}/sub: part of that path is a file, not a folder — choose another --out (or move that file away)`)
    expect(readFileSync(file, 'utf8')).toBe('x')
  }, 60_000)

  it('writes into an existing folder: replaces its files, keeps others, leaves no temporary folder', async () => {
    const out = join(dir, 'existing')
    mkdirSync(out)
    writeFileSync(join(out, 'keep.txt'), 'mine')
    writeFileSync(join(out, 'heart-1-00.svg'), 'old')
    expect((await run(gen(out))).code).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['heart-1-00.png', 'heart-1-00.svg', 'heart-1-01.png', 'heart-1-01.svg', 'keep.txt', 'sheet.png'])
    expect(readFileSync(join(out, 'heart-1-00.svg'), 'utf8')).toMatch(/^<svg/)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  }, 60_000)

  it('a failure midway leaves nothing: no output folder, no temporary folder', () => {
    const out = join(dir, 'half')
    // The second name needs a folder that does not exist inside the temporary folder: writing it fails after the first.
    expect(() => writeOutputSet(out, [['a.txt', 'a'], ['missing/b.txt', 'b']])).toThrow(/cannot write the output folder .*half.*: no such file or folder/)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(dir).filter((f) => f.includes('half'))).toEqual([])
  })

  it.skipIf('skip' in fsMount)('disk full (ENOSPC) → exit 2, "the disk is full", and no partial output', async () => {
    const mnt = (fsMount as { path: string }).path
    const out = join(mnt, 'full')
    const r = await run(gen(out, 64))
    expect(r.code).toBe(2)
    expect(r.err).toBe(`latentype: cannot write the output folder ${out}: the disk is full — free some space or choose another --out`)
    expect(readdirSync(mnt)).toEqual([])
  }, 60_000)

  it.skipIf('skip' in fsMount)('read-only file system (EROFS) → exit 2, "read-only"', async () => {
    const mnt = (fsMount as { path: string }).path
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0)
    try {
      const r = await run(gen(join(mnt, 'ro')))
      expect(r.code).toBe(2)
      expect(r.err).toMatch(new RegExp(`cannot write the output folder ${mnt}/ro.*: the file system is read-only — choose another --out on a writable disk`))
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt])
    }
  }, 60_000)

  it.skipIf(process.getuid?.() === 0)('permission denied (EACCES) → exit 2 (not run as root: root may write anywhere)', async () => {
    const locked = join(dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o500)
    const r = await run(gen(join(locked, 'out')))
    chmodSync(locked, 0o700)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/permission denied — choose another --out that you can write to/)
  }, 60_000)

  it('every error code has a message with the path (EISDIR, ENOSPC, EROFS, EACCES, … from writeFileAtomic temp names too)', () => {
    const err = (code: string, path: string, syscall = 'open'): Error => Object.assign(new Error(code), { code, path, syscall })
    expect(describeFsError(err('ENOSPC', '/r/.checkpoint.ltck.123.456.tmp'))).toBe('cannot write /r/checkpoint.ltck: the disk is full — free some space or choose another location')
    expect(describeFsError(err('EROFS', '/r/x', 'mkdir'), { flag: '--out' })).toBe('cannot write /r/x: the file system is read-only — choose another --out on a writable disk')
    expect(describeFsError(err('EISDIR', '/r/m.onnx', 'read'))).toBe('cannot read /r/m.onnx: it is a folder, not a file — give a file path or choose another location')
    expect(describeFsError(err('EDQUOT', '/q', 'write'))).toMatch(/disk is full \(quota exceeded\)/)
    expect(describeFsError(new Error('plain'))).toBeNull()
  })
})

describe('CLI process', () => {
  it('info --json into a pipe that closes early (| head) exits 0 without a stack', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/latentype.js'), 'info', model, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy() // the reader is gone before the first write, as when head has read its lines
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)))
    const code = await new Promise<number | null>((ok) => child.on('close', ok))
    expect(stderr.replace(/npm warn[^\n]*\n/g, '')).toBe('')
    expect(code).toBe(0)
  }, 120_000)
})
