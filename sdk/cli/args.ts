/** Parsing helpers for CLI values: each bad value becomes a BAD_ARGUMENT naming the flag and the fix. */
import { LatentypeError } from '../errors.js'

export function parseIntFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const v = Number(raw)
  if (!Number.isInteger(v)) throw new LatentypeError('BAD_ARGUMENT', `--${name} "${raw}" is not an integer`)
  return v
}

export function parseFloatFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const v = Number(raw)
  if (!Number.isFinite(v)) throw new LatentypeError('BAD_ARGUMENT', `--${name} "${raw}" is not a number`)
  return v
}

/** A latent vector written as "0.1,-2,0.5" or a JSON array. Non-finite entries are rejected later with BAD_LATENT. */
export function parseLatent(raw: string): Float32Array {
  const text = raw.trim()
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
