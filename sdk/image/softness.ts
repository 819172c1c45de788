/**
 * Edge softness of a coverage bitmap: grey pixels (0.15 < p < 0.85) per unit of outline length (pixel-edge
 * crossings of the 0.5 level). A crisp anti-aliased drawing has about one grey pixel per unit of outline, filled
 * or outlined alike; a blurry decoder output, a ghost of two drawings averaged or a shape breaking into faint
 * strokes has two or more. The plugin keeps the cleaner of two draws per variant by it and {@link speckCount}
 * ({@link cleanerDraw}).
 */
import type { Bitmap } from './bitmap.js'

export function edgeSoftness(b: Bitmap): number {
  const { width: W, height: H, data: d } = b
  let grey = 0
  let edges = 0
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = d[y * W + x]!
      if (v > 0.15 && v < 0.85) grey++
      if (x + 1 < W && v >= 0.5 !== d[y * W + x + 1]! >= 0.5) edges++
      if (y + 1 < H && v >= 0.5 !== d[(y + 1) * W + x]! >= 0.5) edges++
    }
  }
  return grey / Math.max(1, edges)
}

/** Components of at most this many pixels (and at least 2: the tracer drops single pixels) count as specks. */
export const SPECK_MAX_PIXELS = 8

/**
 * Specks of a coverage bitmap at the 0.5 level: ink islands and pinholes of 2–{@link SPECK_MAX_PIXELS} pixels
 * (4-connected) — the raster side of the stray parts a traced vector would carry and a designer would delete.
 */
export function speckCount(b: Bitmap): number {
  const { width: W, height: H, data: d } = b
  const seen = new Uint8Array(W * H)
  const stack = new Int32Array(W * H)
  let specks = 0
  for (let start = 0; start < W * H; start++) {
    if (seen[start]) continue
    const ink = d[start]! >= 0.5
    let top = 0
    let size = 0
    stack[top++] = start
    seen[start] = 1
    while (top > 0) {
      const p = stack[--top]!
      size++
      const x = p % W
      // 4-neighbours of the same side of 0.5 not yet seen
      for (let k = 0; k < 4; k++) {
        const q = k === 0 ? (x > 0 ? p - 1 : -1) : k === 1 ? (x + 1 < W ? p + 1 : -1) : k === 2 ? p - W : p + W
        if (q < 0 || q >= W * H || seen[q] || d[q]! >= 0.5 !== ink) continue
        seen[q] = 1
        stack[top++] = q
      }
    }
    if (size >= 2 && size <= SPECK_MAX_PIXELS) specks++
  }
  return specks
}

/**
 * How flawed a draw looks, lower is cleaner: 10 per speck ({@link speckCount}) plus the edge softness (≈ 1 for a
 * crisp drawing), so specks decide first, then softness. The plugin's grid keeps the cleaner of two draws per
 * variant ({@link cleanerDraw}), `npm run eval` measures that grid the same way, and `fit-prior --accept` weights
 * mixture components by how often their draws are among the cleaner ones.
 */
export function drawFlaws(b: Bitmap): number {
  return 10 * speckCount(b) + edgeSoftness(b)
}

/** Whether draw `b` is cleaner than draw `a` (lower {@link drawFlaws}). */
export function cleanerDraw(a: Bitmap, b: Bitmap): boolean {
  return drawFlaws(b) < drawFlaws(a)
}
