/**
 * Training data in memory: uint8 coverage images (0 paper … 255 ink) with class ids, and how a batch is cut
 * from them — one-hot classes and targets binarised per step (dynamic binarisation, seeded) or kept as coverage.
 */
import { LatentypeError } from '../errors.js'
import { coverageToFields } from '../image/field.js'
import { thinParts } from '../image/thin-parts.js'
import { FIELD_CLAMP } from '../model/likelihood.js'
import { Rng } from '../random.js'

export interface ImageSet {
  /** Images are size×size. */
  size: number
  count: number
  /** count·size·size bytes, row-major. */
  pixels: Uint8Array
  labels: Uint16Array
  /** Class labels, index = class id. */
  classes: string[]
  /** Style group per item (e.g. font style or icon set + style tags): style pairs are drawn within a group. */
  groups?: Uint32Array
}

/**
 * - `dynamic`: each pixel is ink with probability coverage, drawn fresh every step (MNIST standard);
 * - `threshold`: ink where coverage ≥ 0.5;
 * - `none`: the coverage itself is the (soft) target.
 */
export type Binarize = 'dynamic' | 'threshold' | 'none'

export interface Batch {
  x: Float32Array
  onehot: Float32Array
}

/** Fills a batch from items `idx` (all of them; pass a subarray). `rng` is needed for dynamic binarisation. */
export function fillBatch(set: ImageSet, idx: ArrayLike<number>, mode: Binarize, rng: Rng | undefined, out?: Batch): Batch {
  const n = idx.length
  const px = set.size * set.size
  const K = set.classes.length
  const b = out ?? { x: new Float32Array(n * px), onehot: new Float32Array(n * K) }
  b.onehot.fill(0)
  for (let i = 0; i < n; i++) {
    const item = idx[i]!
    const src = set.pixels.subarray(item * px, (item + 1) * px)
    const dst = i * px
    if (mode === 'dynamic') {
      if (!rng) throw new Error('dynamic binarisation needs an rng')
      for (let j = 0; j < px; j++) b.x[dst + j] = rng.uniform() * 255 < src[j]! ? 1 : 0
    } else if (mode === 'threshold') for (let j = 0; j < px; j++) b.x[dst + j] = src[j]! >= 128 ? 1 : 0
    else for (let j = 0; j < px; j++) b.x[dst + j] = src[j]! / 255
    b.onehot[i * K + set.labels[item]!] = 1
  }
  return b
}

const fieldCache = new WeakMap<ImageSet, Float32Array>()

/** Signed distance fields of every item of `set` (sdk/image/field.ts, clamped to ±FIELD_CLAMP), computed once per set. */
export function fieldsOf(set: ImageSet): Float32Array {
  let f = fieldCache.get(set)
  if (!f) {
    f = coverageToFields(set.pixels, set.count, set.size, { clamp: FIELD_CLAMP, ink: 255 })
    fieldCache.set(set, f)
  }
  return f
}

/** A batch of items `idx` whose x are their distance fields: a distance-field model's decoder targets (and classes). */
export function fillFieldBatch(set: ImageSet, idx: ArrayLike<number>, out?: Batch): Batch {
  const px = set.size * set.size
  const K = set.classes.length
  const b = out ?? { x: new Float32Array(idx.length * px), onehot: new Float32Array(idx.length * K) }
  const f = fieldsOf(set)
  b.onehot.fill(0)
  for (let i = 0; i < idx.length; i++) {
    b.x.set(f.subarray(idx[i]! * px, (idx[i]! + 1) * px), i * px)
    b.onehot[i * K + set.labels[idx[i]!]!] = 1
  }
  return b
}

const thinCache = new WeakMap<ImageSet, Uint8Array>()

/** {@link thinParts} of every item of `set` (the fragile pixels: middles of thin strokes and small parts), computed once per set. */
export function thinPartsOf(set: ImageSet): Uint8Array {
  let t = thinCache.get(set)
  if (!t) {
    const px = set.size * set.size
    t = new Uint8Array(set.count * px)
    for (let i = 0; i < set.count; i++) t.set(thinParts(set.pixels.subarray(i * px, (i + 1) * px), set.size, { ink: 255 }), i * px)
    thinCache.set(set, t)
  }
  return t
}

/** Per-pixel weights of the reconstruction term for items `idx`: 1 + `weight` on their thin parts, 1 elsewhere. */
export function fillPixelWeights(set: ImageSet, idx: ArrayLike<number>, weight: number, out?: Float32Array): Float32Array {
  const px = set.size * set.size
  const w = out ?? new Float32Array(idx.length * px)
  const t = thinPartsOf(set)
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i]! * px
    for (let j = 0; j < px; j++) w[i * px + j] = 1 + weight * t[src + j]!
  }
  return w
}

/** The items at `idx` as a new set (e.g. a split). */
export function subset(set: ImageSet, idx: ArrayLike<number>): ImageSet {
  const px = set.size * set.size
  const pixels = new Uint8Array(idx.length * px)
  const labels = new Uint16Array(idx.length)
  const groups = set.groups ? new Uint32Array(idx.length) : undefined
  for (let i = 0; i < idx.length; i++) {
    pixels.set(set.pixels.subarray(idx[i]! * px, (idx[i]! + 1) * px), i * px)
    labels[i] = set.labels[idx[i]!]!
    if (groups) groups[i] = set.groups![idx[i]!]!
  }
  return { size: set.size, count: idx.length, pixels, labels, classes: set.classes, ...(groups ? { groups } : {}) }
}

/** Pads (centred, with paper) or 2×2-box-downsamples to `size`, so data fits the model's image size. */
export function fitSize(set: ImageSet, size: number): ImageSet {
  if (set.size === size) return set
  let s = set
  while (s.size >= size * 2 && s.size % 2 === 0) s = halve(s)
  if (s.size === size) return s
  if (s.size > size) {
    // pad up to twice the target, then halve (MNIST 28 → 32 → 16)
    s = halve(pad(s, size * 2))
    return s
  }
  return pad(s, size)
}

function pad(set: ImageSet, size: number): ImageSet {
  if (size < set.size) throw new LatentypeError('BAD_DATASET', `cannot pad ${set.size}px images to ${size}px`)
  const off = Math.floor((size - set.size) / 2)
  const pixels = new Uint8Array(set.count * size * size)
  for (let i = 0; i < set.count; i++) {
    for (let y = 0; y < set.size; y++) {
      const src = set.pixels.subarray((i * set.size + y) * set.size, (i * set.size + y + 1) * set.size)
      pixels.set(src, i * size * size + (y + off) * size + off)
    }
  }
  return { ...set, size, pixels }
}

function halve(set: ImageSet): ImageSet {
  const h = set.size / 2
  const pixels = new Uint8Array(set.count * h * h)
  const S = set.size
  for (let i = 0; i < set.count; i++) {
    const base = i * S * S
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < h; x++) {
        const p = base + 2 * y * S + 2 * x
        pixels[i * h * h + y * h + x] = (set.pixels[p]! + set.pixels[p + 1]! + set.pixels[p + S]! + set.pixels[p + S + 1]! + 2) >> 2
      }
    }
  }
  return { ...set, size: h, pixels }
}

/**
 * Decoder targets for a batch: item i keeps itself, or with probability `share` becomes another item of the same
 * style group with a different class (when its group has one). Items without groups always keep themselves.
 */
export function pairTargets(set: ImageSet, idx: ArrayLike<number>, share: number, rng: Rng, members: Map<number, Int32Array>): Int32Array {
  const out = Int32Array.from(idx)
  if (!set.groups || share <= 0) return out
  for (let i = 0; i < out.length; i++) {
    if (rng.uniform() >= share) continue
    const item = out[i]!
    const peers: Int32Array = members.get(set.groups[item]!)!
    for (let tries = 0; tries < 4 && peers.length > 1; tries++) {
      const other = peers[rng.int(peers.length)]!
      if (set.labels[other] !== set.labels[item]) {
        out[i] = other
        break
      }
    }
  }
  return out
}

/** z mask of a pair batch: 1 on the global dims; the grid dims 1 where an item reconstructs itself, 0 where it draws another item. */
export function fillGridMask(mask: Float32Array, items: ArrayLike<number>, targets: ArrayLike<number>, global: number, latent: number): void {
  for (let i = 0; i < items.length; i++) {
    const self = items[i] === targets[i] ? 1 : 0
    mask.fill(1, i * latent, i * latent + global)
    mask.fill(self, i * latent + global, (i + 1) * latent)
  }
}

/** Items of each style group. */
export function groupMembers(set: ImageSet): Map<number, Int32Array> {
  const lists = new Map<number, number[]>()
  if (set.groups) for (let i = 0; i < set.count; i++) {
    const g = set.groups[i]!
    const l = lists.get(g)
    if (l) l.push(i)
    else lists.set(g, [i])
  }
  return new Map([...lists].map(([g, l]) => [g, Int32Array.from(l)]))
}

/** A seed for one purpose and counter, derived from the run seed (so runs resume without saving RNG state). */
export function derivedSeed(seed: number, purpose: string, counter: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0)
  const s = `${purpose}/${counter}`
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  return (h ^ (h >>> 12)) >>> 0
}

/** The shuffled order of `n` training items in epoch `epoch`. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i)
  new Rng(derivedSeed(seed, 'shuffle', epoch)).shuffle(order)
  return order
}
