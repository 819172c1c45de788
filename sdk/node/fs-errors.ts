/**
 * File-system errors as messages a user can act on: the path, what went wrong, and the fix. Used by the CLI and
 * the training script, whose exit code for these is 2 (bad input or environment), not 1 (internal error).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { LatentypeError } from '../errors.js'

export interface FsErrorContext {
  /** The path the user gave (defaults to the error's own path). */
  path?: string
  /** What was being done, e.g. "write the output" — "cannot <action> <path>: …". */
  action?: string
  /** The option that chose the path, e.g. "--out": the fix then says "choose another --out". */
  flag?: string
}

/** writeFileAtomic's temp files (`.name.pid.time.tmp`) are named after their target. */
function targetOf(p: string): string {
  const m = /^\.(.+)\.\d+\.\d+\.tmp$/.exec(basename(p))
  return m ? join(dirname(p), m[1]!) : p
}

/** The fields of a Node file-system error this module reads. */
export interface ErrnoError extends Error {
  code?: string
  syscall?: string
  path?: string
  dest?: string
}

const FS_CODES = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENAMETOOLONG', 'EMFILE', 'ENFILE'])

/** True for a Node file-system error this module can explain. */
export function isFsError(e: unknown): e is ErrnoError {
  const x = e as ErrnoError
  return e instanceof Error && typeof x.code === 'string' && FS_CODES.has(x.code) && typeof x.syscall === 'string'
}

/** The message for a file-system error, or null when `e` is not one. */
export function describeFsError(e: unknown, ctx: FsErrorContext = {}): string | null {
  if (!isFsError(e)) return null
  const path = ctx.path ?? targetOf(e.path ?? e.dest ?? '?')
  const where = ctx.flag ? `choose another ${ctx.flag}` : 'choose another location'
  const verb = ctx.action ?? (/^(read|scandir|stat|lstat)$/.test(e.syscall ?? '') ? 'read' : /^(ENOSPC|EDQUOT|EROFS|EEXIST|ENOTDIR)$/.test(e.code ?? '') || e.syscall !== 'open' ? 'write' : 'open')
  const what = `cannot ${verb} ${path}`
  const actual = e.path && targetOf(e.path) !== path ? ` (at ${targetOf(e.path)})` : ''
  switch (e.code) {
    case 'EISDIR':
      return `${what}${actual}: it is a folder, not a file — give a file path or ${where}`
    case 'ENOTDIR':
      return `${what}${actual}: part of that path is a file, not a folder — ${where} (or move that file away)`
    case 'EEXIST':
      return `${what}${actual}: a file is in the way where a folder is needed — ${where} (or move that file away)`
    case 'EROFS':
      return `${what}${actual}: the file system is read-only — ${where} on a writable disk`
    case 'EACCES':
    case 'EPERM':
      return `${what}${actual}: permission denied — ${where} that you can write to, or fix its permissions`
    case 'ENOSPC':
    case 'EDQUOT':
      return `${what}${actual}: the disk is full${e.code === 'EDQUOT' ? ' (quota exceeded)' : ''} — free some space or ${where}`
    case 'ENOENT':
      return `${what}${actual}: no such file or folder`
    case 'ENAMETOOLONG':
      return `${what}: the path is too long — ${where}`
    default:
      return `${what}: too many open files (${e.code}) — close other programs or raise the limit (ulimit -n)`
  }
}

/** A FILE_SYSTEM {@link LatentypeError} for a file-system error (the original as `cause`), or null when `e` is not one. */
export function fsError(e: unknown, ctx: FsErrorContext = {}): LatentypeError | null {
  const msg = describeFsError(e, ctx)
  return msg === null ? null : new LatentypeError('FILE_SYSTEM', msg, { cause: e })
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdir reports ENOENT when a parent is read-only; creating each
 * missing folder in turn gives the real cause (EROFS, EACCES, ENOTDIR, EEXIST) for {@link describeFsError}.
 */
export function mkdirAll(dir: string): void {
  const missing: string[] = []
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d)
    if (dirname(d) === d) break
  }
  for (const d of missing.reverse()) mkdirSync(d)
}
