/** Parsing helpers for CLI values: each bad value becomes a BAD_ARGUMENT naming the flag and the fix. */
import { LatentypeError } from '../errors.js'

/** How the user writes a flag: "-n", "--seed". */
const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`)

function present(name: string, raw: string): string {
  if (raw.trim() === '') throw new LatentypeError('BAD_ARGUMENT', `${flag(name)} needs a value (got an empty string) — leave the flag out to use the default`)
  return raw.trim()
}

export function parseIntFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const v = Number(present(name, raw))
  if (!Number.isInteger(v)) throw new LatentypeError('BAD_ARGUMENT', `${flag(name)} "${raw}" is not an integer`)
  return v
}

export function parseFloatFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const v = Number(present(name, raw))
  if (!Number.isFinite(v)) throw new LatentypeError('BAD_ARGUMENT', `${flag(name)} "${raw}" is not a number`)
  return v
}

/** A string flag that must not be empty when given. */
export function parseStringFlag(name: string, raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : present(name, raw)
}

const NEGATIVE = /^-(?:\d|\.\d|Infinity|NaN)/

/**
 * util.parseArgs reads "--seed -1" as two options. For options that take a value, a following token that starts
 * like a negative number ("-1", "-.5", "-1,0.5,…") is joined to it as "--seed=-1". Short names become long ones.
 */
export function joinNegativeValues(argv: readonly string[], valued: Record<string, string | undefined>): string[] {
  const shortToLong = new Map<string, string>(Object.entries(valued).flatMap(([long, short]): [string, string][] => (short ? [[`-${short}`, long]] : [])))
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const long = a.startsWith('--') && !a.includes('=') ? a.slice(2) : shortToLong.get(a)
    const next = argv[i + 1]
    if (long !== undefined && long in valued && next !== undefined && NEGATIVE.test(next)) {
      out.push(`--${long}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/** A latent vector written as "0.1,-2,0.5" or a JSON array. Non-finite entries are rejected later with BAD_LATENT. */
export function parseLatent(raw: string): Float32Array {
  const text = raw.trim()
  if (text === '') throw new LatentypeError('BAD_LATENT', '--latent is empty — write it as "0.1,-0.5,…" (one number per latent dimension)')
  let parts: unknown[]
  if (text.startsWith('[')) {
    try {
      parts = JSON.parse(text) as unknown[]
    } catch {
      throw new LatentypeError('BAD_LATENT', `--latent is not a valid JSON array — write it as "0.1,-0.5,…" or "[0.1,-0.5,…]"`)
    }
  } else parts = text.split(/[,\s]+/).filter(Boolean)
  const values = parts.map((p, i) => {
    const v = typeof p === 'number' ? p : Number(p)
    // "NaN"/"Infinity" parse as numbers and are refused by the generator with the dimension named.
    if (Number.isNaN(v) && !/^nan$/i.test(String(p))) throw new LatentypeError('BAD_LATENT', `--latent entry ${i} ("${String(p)}") is not a number`)
    return v
  })
  return Float32Array.from(values)
}

/** A safe file-name stem for a class label: letters, digits and dashes; case kept, other characters as their code. */
export function fileStem(label: string): string {
  return [...label].map((ch) => (/[A-Za-z0-9-]/.test(ch) ? ch : `u${ch.codePointAt(0)!.toString(16)}`)).join('')
}
