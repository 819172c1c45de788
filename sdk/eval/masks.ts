/**
 * Binary masks of coverage images (ink where coverage ≥ threshold, default 0.5) packed 32 pixels per word, and
 * intersection-over-union between them. IoU of two empty masks is 1 (they agree everywhere).
 */

export interface PackedMasks {
  count: number
  /** Words per mask: ⌈pixels / 32⌉. */
  words: number
  bits: Uint32Array
  /** Ink pixels per mask. */
  ink: Int32Array
}

/** Packs `n` images of `px` pixels each (coverage 0..1 floats, or uint8 0..255 when `bytes`). */
export function packMasks(images: Float32Array | Uint8Array, n: number, px: number, threshold = 0.5): PackedMasks {
  const words = Math.ceil(px / 32)
  const bits = new Uint32Array(n * words)
  const ink = new Int32Array(n)
  const cut = images instanceof Uint8Array ? threshold * 255 : threshold
  for (let i = 0; i < n; i++) {
    let count = 0
    for (let p = 0; p < px; p++) {
      if (images[i * px + p]! >= cut) {
        bits[i * words + (p >>> 5)]! |= 1 << (p & 31)
        count++
      }
    }
    ink[i] = count
  }
  return { count: n, words, bits, ink }
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/** IoU of mask `i` of `a` and mask `j` of `b` (same pixel count). */
export function packedIou(a: PackedMasks, i: number, b: PackedMasks, j: number): number {
  const W = a.words
  let inter = 0
  for (let w = 0; w < W; w++) inter += popcount32(a.bits[i * W + w]! & b.bits[j * W + w]!)
  const union = a.ink[i]! + b.ink[j]! - inter
  return union === 0 ? 1 : inter / union
}

/** IoU of two coverage images thresholded at `threshold`. */
export function maskIou(a: Float32Array, b: Float32Array, threshold = 0.5): number {
  let inter = 0
  let union = 0
  for (let p = 0; p < a.length; p++) {
    const x = a[p]! >= threshold
    const y = b[p]! >= threshold
    if (x && y) inter++
    if (x || y) union++
  }
  return union === 0 ? 1 : inter / union
}

/** For each mask of `query`, the highest IoU with any of `ref`'s masks listed in `candidates` (all when omitted). */
export function nearestIou(query: PackedMasks, ref: PackedMasks, candidates?: (q: number) => ArrayLike<number>): Float64Array {
  const out = new Float64Array(query.count)
  for (let q = 0; q < query.count; q++) {
    const list = candidates?.(q)
    const m = list ? list.length : ref.count
    let best = 0
    for (let k = 0; k < m; k++) {
      const v = packedIou(query, q, ref, list ? list[k]! : k)
      if (v > best) best = v
    }
    out[q] = best
  }
  return out
}
