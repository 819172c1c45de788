/** Argument checks of the Generator: each failure is a LatentypeError whose message names the fix. */
import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from '../image/bitmap.js'
import type { ClassInfo, ModelCard } from '../model/card.js'
import type { ClassRef } from './classes.js'
import type { Reference } from './generator.js'

/** Most latents one call may sample or decode; larger requests are refused with BAD_COUNT. */
export const MAX_COUNT = 4096

/** Most references one style may combine. */
export const MAX_REFERENCES = 16

/** A value as a message shows it: strings quoted, with their type when that is the problem. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  if (v === null || v === undefined) return String(v)
  if (v instanceof Float32Array) return `a Float32Array of ${v.length}`
  if (Array.isArray(v)) return `an array of ${v.length}`
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`
}

export const isNumberArray = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number')

export function checkCount(n: unknown, name: string): number {
  if (typeof n !== 'number') throw new LatentypeError('BAD_COUNT', `${name} must be a number, got ${describe(n)}${typeof n === 'string' && /^\s*\d+\s*$/.test(n) ? ` — write ${name}: ${Number(n)}` : ''}`)
  if (!Number.isInteger(n) || n <= 0) throw new LatentypeError('BAD_COUNT', `${name} = ${n} is invalid — ask for a whole number of at least 1`)
  if (n > MAX_COUNT) throw new LatentypeError('BAD_COUNT', `${name} = ${n} is more than the ${MAX_COUNT} latents one call handles — split the request into batches of ≤ ${MAX_COUNT}`)
  return n
}

/** Checks one latent and returns it as a Float32Array (number[] is copied). */
export function toLatent(z: unknown, size: number, index: number): Float32Array {
  const ok = z instanceof Float32Array || isNumberArray(z)
  if (!ok) {
    const what = Array.isArray(z) ? `an array holding ${describe(z.find((x) => typeof x !== 'number'))}` : describe(z)
    throw new LatentypeError('BAD_LATENT', `latent ${index} must be a Float32Array or number[] of ${size} values, got ${what}`)
  }
  if (z.length !== size) throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z.length} values but the model's latent size is ${size}`)
  const bad = z.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z[bad]} at dimension ${bad} — latents must be finite numbers`)
  return z instanceof Float32Array ? z : Float32Array.from(z)
}

/** Checks a list of references (size, coverage in 0..1, some ink, known class) and resolves their classes. */
export function checkReferences(references: readonly Reference[], card: ModelCard, resolve: (c: ClassRef) => ClassInfo): { bitmap: Bitmap; cls: ClassInfo }[] {
  const eg = `e.g. [{ bitmap, class: '${card.classes[0]!.label}' }]`
  if (!Array.isArray(references)) throw new LatentypeError('BAD_ARGUMENT', `references must be a list of { bitmap, class }, got ${describe(references)} — ${eg}`)
  if (references.length === 0) throw new LatentypeError('BAD_ARGUMENT', `no references — pass at least one drawing, ${eg}`)
  if (references.length > MAX_REFERENCES) throw new LatentypeError('BAD_ARGUMENT', `${references.length} references — at most ${MAX_REFERENCES} combine into one style; pass the ${MAX_REFERENCES} most typical`)
  const S = card.imageSize
  return references.map((r, i) => {
    if (!r || typeof r !== 'object' || !('bitmap' in r)) throw new LatentypeError('BAD_ARGUMENT', `reference ${i} must be { bitmap, class }, got ${describe(r)} — ${eg}`)
    const bitmap = r.bitmap
    try {
      assertBitmap(bitmap, S, S)
    } catch (e) {
      throw new LatentypeError('BAD_BITMAP', `reference ${i}: ${(e as Error).message}`)
    }
    let ink = 0
    for (const v of bitmap.data) {
      if (!(v >= 0 && v <= 1)) throw new LatentypeError('BAD_BITMAP', `reference ${i} has the value ${v} — bitmap values must be coverage in 0..1 (convert PNGs with pngToBitmap)`)
      ink += v
    }
    if (ink < 1) throw new LatentypeError('BAD_BITMAP', `reference ${i} is blank (no ink) — pass a drawing of its class, e.g. a rendered glyph or icon`)
    return { bitmap, cls: resolve(r.class) }
  })
}
