/**
 * Edge softness of a coverage bitmap: grey pixels (0.15 < p < 0.85) per unit of outline length (pixel-edge
 * crossings of the 0.5 level). A crisp anti-aliased drawing has about one grey pixel per unit of outline, filled
 * or outlined alike; a blurry decoder output, a ghost of two drawings averaged or a shape breaking into faint
 * strokes has two or more. The plugin keeps the crisper of two draws per variant by it.
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
