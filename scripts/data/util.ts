/** Small shared helpers for the data build: progress lines, package lookup, argument parsing. */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { LatentypeError } from '../../sdk/errors.js'

const require = createRequire(import.meta.url)

/** The folder of an installed package (resolved from scripts/data), or a typed error naming the install step. */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch (cause) {
    throw new LatentypeError('FILE_NOT_FOUND', `package ${name} is not installed — run \`npm install --prefix scripts/data\` (the data build's own dependencies, kept out of the SDK install)`, { cause })
  }
}

export function packageInstalled(name: string): boolean {
  try {
    return existsSync(packageDir(name))
  } catch {
    return false
  }
}

/** A progress line on stderr with rate and ETA, rewritten in place on a TTY. */
export function progress(label: string, total: number): { tick(n?: number): void; done(): void } {
  const start = Date.now()
  let count = 0
  let last = 0
  const tty = process.stderr.isTTY
  const print = (final: boolean): void => {
    const s = (Date.now() - start) / 1000
    const rate = count / Math.max(s, 1e-3)
    const eta = rate > 0 ? (total - count) / rate : 0
    const line = `${label}: ${count}/${total} (${Math.round((100 * count) / Math.max(total, 1))}%) ${rate.toFixed(0)}/s ETA ${eta.toFixed(0)}s`
    if (tty) process.stderr.write(`\r${line}${final ? '\n' : ''}`)
    else if (final || Date.now() - last > 5000) process.stderr.write(`${line}\n`)
    last = Date.now()
  }
  return {
    tick(n = 1) {
      count += n
      if (Date.now() - last > (tty ? 200 : 5000)) print(false)
    },
    done() {
      print(true)
    },
  }
}

/** `--key value` / `--flag` parsing for the data commands. */
export function parseArgs(argv: string[]): { command: string | undefined; options: Map<string, string> } {
  const options = new Map<string, string>()
  let command: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2)
      if (v !== undefined) options.set(k!, v)
      else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) options.set(k!, argv[++i]!)
      else options.set(k!, 'true')
    } else if (command === undefined) command = a
    else throw new LatentypeError('BAD_ARGUMENT', `unexpected argument "${a}" — options are --name value`)
  }
  return { command, options }
}

export function intOption(options: Map<string, string>, key: string, fallback: number): number {
  const v = options.get(key)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new LatentypeError('BAD_ARGUMENT', `--${key} ${v} is invalid — pass a positive integer`)
  return n
}
