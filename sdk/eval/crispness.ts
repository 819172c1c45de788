/**
 * Crispness of coverage images: how much of the ink is grey. A designer's icon or glyph is ink or
 * paper with a one-pixel anti-aliased rim, so a real 64² raster has ≈ 20–25 % grey among its inked pixels; a
 * blurry decoder draws grey washes (an average of shapes), which trace into wobbly or broken outlines.
 *
 * @example
 * ```ts
 * const gen = crispness(samples, n, 64 * 64)   // coverage floats
 * const real = crispness(testPixels, m, 64 * 64) // uint8 0..255
 * console.log(gen.greyShare / real.greyShare)  // target: ≤ 1.5 (TARGETS.greyRatio)
 * ```
 */

/** Coverage above this is inked; between it and {@link GREY_HIGH} it is grey. */
export const INK_LOW = 0.15
export const GREY_HIGH = 0.85

export interface Crispness {
  /** Grey pixels (INK_LOW < p < GREY_HIGH) ÷ inked pixels (p > INK_LOW), pooled over all images. */
  greyShare: number
  /** Mean binary entropy per pixel, −p log2 p − (1−p) log2 (1−p), in bits over all pixels (0 = pure ink/paper). */
  entropy: number
  /** Per image grey share of its ink (0 for an image without ink). */
  perImage: Float64Array
}

/** Crispness of `n` images of `px` pixels (coverage floats 0..1, or uint8 0..255). */
export function crispness(images: Float32Array | Uint8Array, n: number, px: number): Crispness {
  const scale = images instanceof Uint8Array ? 1 / 255 : 1
  const perImage = new Float64Array(n)
  let grey = 0
  let ink = 0
  let entropy = 0
  for (let i = 0; i < n; i++) {
    let g = 0
    let k = 0
    for (let p = i * px; p < (i + 1) * px; p++) {
      const v = Math.min(1, Math.max(0, images[p]! * scale))
      if (v > INK_LOW) {
        k++
        if (v < GREY_HIGH) g++
      }
      if (v > 0 && v < 1) entropy -= v * Math.log2(v) + (1 - v) * Math.log2(1 - v)
    }
    perImage[i] = k ? g / k : 0
    grey += g
    ink += k
  }
  return { greyShare: ink ? grey / ink : 0, entropy: entropy / Math.max(1, n * px), perImage }
}
