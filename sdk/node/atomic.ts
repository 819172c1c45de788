/** Atomic file writes for Node: write a temp file beside the target, fsync, rename. Readers never see half a file. */
import { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'

/** Writes all of `data` to `path` (open flag `flag`, e.g. 'wx' to refuse an existing file) and fsyncs it. */
export function writeSynced(path: string, data: Uint8Array | string, flag = 'w'): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const fd = openSync(path, flag)
  try {
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  try {
    writeSynced(tmp, bytes, 'w')
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    // write/fsync errors (ENOSPC) carry no path: name the file being written.
    if (e instanceof Error && (e as Error & { path?: string }).path === undefined) Object.assign(e, { path })
    throw e
  }
}
