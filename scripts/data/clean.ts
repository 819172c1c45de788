/** Cleaning: near-empty drop, perceptual-hash dedupe within a class, outliers far from their class centre. */

/** Mean ink of a uint8 image (0..1). */
export function meanInk(px: Uint8Array): number {
  let s = 0
  for (let i = 0; i < px.length; i++) s += px[i]!
  return s / (255 * px.length)
}

/** Too little ink to be a drawing (hairline, stray dot, empty render), or a solid block (broken render). */
export function isNearEmpty(px: Uint8Array, minInk = 0.01, maxInk = 0.9): boolean {
  const m = meanInk(px)
  return m < minInk || m > maxInk
}

/** Box-downsamples a square uint8 image to `n`×`n` floats 0..1. */
export function downsample(px: Uint8Array, size: number, n: number): Float32Array {
  const out = new Float32Array(n * n)
  const f = size / n
  for (let y = 0; y < size; y++) {
    const oy = Math.min(n - 1, Math.floor(y / f))
    for (let x = 0; x < size; x++) out[oy * n + Math.min(n - 1, Math.floor(x / f))]! += px[y * size + x]! / 255
  }
  const norm = 1 / (f * f)
  for (let i = 0; i < out.length; i++) out[i]! *= norm
  return out
}

/**
 * A 512-bit difference hash: the image box-downsampled to 16×16, one bit per horizontal and one per vertical
 * neighbour comparison (edge cells compare against 0.5), in 16 uint32 words. Robust to anti-aliasing
 * differences, sensitive to real shape changes.
 */
export function dHash(px: Uint8Array, size: number): Uint32Array {
  const g = downsample(px, size, 16)
  const bits = new Uint32Array(16)
  let k = 0
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const h = x < 15 ? g[y * 16 + x]! > g[y * 16 + x + 1]! + 0.02 : g[y * 16 + x]! > 0.5
      const v = y < 15 ? g[y * 16 + x]! > g[(y + 1) * 16 + x]! + 0.02 : g[y * 16 + x]! > 0.5
      if (h) bits[k >> 5]! |= 1 << (k & 31)
      k++
      if (v) bits[k >> 5]! |= 1 << (k & 31)
      k++
    }
  }
  return bits
}

export function hamming(a: Uint32Array, b: Uint32Array): number {
  let d = 0
  for (let i = 0; i < a.length; i++) {
    let x = (a[i]! ^ b[i]!) >>> 0
    while (x) { x &= x - 1; d++ }
  }
  return d
}

/**
 * Indices (into `images`) to keep after dropping near-duplicates: an image whose 32×32 thumbnail differs from an
 * earlier kept image's by at most `maxDiff` (mean absolute coverage difference) is dropped; the dHash is a cheap
 * prefilter (images more than 96 bits apart are never compared). Order decides which copy survives.
 */
export function dedupe(images: Uint8Array[], size: number, maxDiff = 0.012): { keep: number[]; dropped: Array<{ index: number; duplicateOf: number }> } {
  const hashes = images.map((px) => dHash(px, size))
  const thumbs = images.map((px) => downsample(px, size, 32))
  const keep: number[] = []
  const dropped: Array<{ index: number; duplicateOf: number }> = []
  const diff = (a: Float32Array, b: Float32Array): number => {
    let d = 0
    for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! - b[i]!)
    return d / a.length
  }
  for (let i = 0; i < images.length; i++) {
    const dup = keep.find((j) => hamming(hashes[i]!, hashes[j]!) <= 96 && diff(thumbs[i]!, thumbs[j]!) <= maxDiff)
    if (dup === undefined) keep.push(i)
    else dropped.push({ index: i, duplicateOf: dup })
  }
  return { keep, dropped }
}

/**
 * Outliers: images whose distance to the class centre (mean of 16×16 blurred images) is above
 * `median + k·MAD` of the class's distances. Returns indices into `images`, most distant first.
 */
export function outliers(images: Uint8Array[], size: number, k = 4): number[] {
  if (images.length < 8) return []
  const small = images.map((px) => downsample(px, size, 16))
  const centre = new Float32Array(256)
  for (const s of small) for (let i = 0; i < 256; i++) centre[i]! += s[i]! / small.length
  const dist = small.map((s) => {
    let d = 0
    for (let i = 0; i < 256; i++) d += (s[i]! - centre[i]!) ** 2
    return Math.sqrt(d)
  })
  const sorted = [...dist].sort((a, b) => a - b)
  const median = sorted[sorted.length >> 1]!
  const mad = [...dist.map((d) => Math.abs(d - median))].sort((a, b) => a - b)[dist.length >> 1]!
  const limit = median + k * 1.4826 * mad
  return dist.map((d, i) => [d, i] as const).filter(([d]) => d > limit).sort((a, b) => b[0] - a[0]).map(([, i]) => i)
}
