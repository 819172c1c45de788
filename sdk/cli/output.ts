/**
 * Writes a set of files into a folder all at once or not at all: every file goes into a temporary folder first
 * (fsynced), then moves into place by rename. A failure while writing (disk full, read-only, a file in the way)
 * removes the temporary folder and leaves `out` as it was.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { writeSynced as writeSyncedWith } from '../node/atomic.js'
import { fsError, mkdirAll } from '../node/fs-errors.js'

const writeSynced = (path: string, data: Uint8Array | string): void => writeSyncedWith(path, data, 'wx')


/**
 * Writes `files` (name → content) into the folder `out`. When `out` does not exist yet, the temporary folder is
 * renamed to it in one step; when it does, files move in one rename each (existing names are replaced).
 * File-system errors become FILE_SYSTEM errors naming `out` and the fix.
 */
export function writeOutputSet(out: string, files: readonly (readonly [string, Uint8Array | string])[]): void {
  const ctx = { path: out, action: 'write the output folder', flag: '--out' }
  let tmp: string | undefined
  try {
    if (existsSync(out) && !statSync(out).isDirectory()) {
      const e = Object.assign(new Error(`EEXIST: file already exists, mkdir '${out}'`), { code: 'EEXIST', syscall: 'mkdir', path: out })
      throw e
    }
    const fresh = !existsSync(out)
    if (fresh) mkdirAll(dirname(out))
    // Beside `out` when it is new (so one rename publishes it), inside it otherwise (same file system either way).
    tmp = fresh ? join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`) : join(out, `.latentype-${process.pid}.${Date.now()}.tmp`)
    mkdirSync(tmp)
    for (const [name, data] of files) writeSynced(join(tmp, name), data)
    if (fresh) {
      renameSync(tmp, out)
      tmp = undefined
    } else {
      for (const name of readdirSync(tmp)) renameSync(join(tmp, name), join(out, name))
    }
  } catch (e) {
    throw fsError(e, ctx) ?? e
  } finally {
    if (tmp) {
      try {
        rmSync(tmp, { recursive: true, force: true })
      } catch {
        // The temporary folder was never created (or is already gone); the original error is the one to report.
      }
    }
  }
}
