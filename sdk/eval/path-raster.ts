/**
 * Fills traced outlines (closed cubic contours, even-odd as the inserted SVG says) into pixels, in pure
 * TypeScript: a binary mask sampled at pixel centres (what IoU at 256² compares) or an anti-aliased coverage
 * bitmap (supersampled, for the traced-vector sheet: what the plugin inserts, drawn).
 *
 * @example
 * ```ts
 * const mask = fillMask(traceCubics(bitmap64), 256, 4) // 256×256 Uint8Array of 0/1, outline scaled ×4
 * ```
 */
import { createBitmap, type Bitmap } from '../image/bitmap.js'
import type { Cubic } from '../image/trace-fit.js'

interface Edge { x0: number; y0: number; x1: number; y1: number }

/** Polygon edges of the contours scaled by `scale`, each cubic flattened into ≈ 1-pixel chords. */
function edgesOf(contours: readonly (readonly Cubic[])[], scale: number): Edge[] {
  const edges: Edge[] = []
  for (const contour of contours) {
    for (const [p0, p1, p2, p3] of contour) {
      const hull = Math.hypot(p1.x - p0.x, p1.y - p0.y) + Math.hypot(p2.x - p1.x, p2.y - p1.y) + Math.hypot(p3.x - p2.x, p3.y - p2.y)
      const steps = Math.max(1, Math.min(64, Math.ceil(hull * scale)))
      let px = p0.x * scale
      let py = p0.y * scale
      for (let k = 1; k <= steps; k++) {
        const t = k / steps
        const u = 1 - t
        const x = (u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x) * scale
        const y = (u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y) * scale
        if (y !== py) edges.push({ x0: px, y0: py, x1: x, y1: y })
        px = x
        py = y
      }
    }
  }
  return edges
}

/**
 * A `size`×`size` mask (1 ink, 0 paper) of the contours scaled by `scale`: a pixel is ink when its centre is
 * inside by the even-odd rule.
 */
export function fillMask(contours: readonly (readonly Cubic[])[], size: number, scale: number): Uint8Array {
  const mask = new Uint8Array(size * size)
  const edges = edgesOf(contours, scale)
  const xs: number[] = []
  for (let row = 0; row < size; row++) {
    const y = row + 0.5
    xs.length = 0
    for (const e of edges) {
      if ((e.y0 <= y && e.y1 > y) || (e.y1 <= y && e.y0 > y)) xs.push(e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0))
    }
    xs.sort((a, b) => a - b)
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5))
      const to = Math.min(size - 1, Math.ceil(xs[k + 1]! - 0.5) - 1)
      for (let col = from; col <= to; col++) mask[row * size + col] = 1
    }
  }
  return mask
}

/** Anti-aliased coverage of the contours scaled by `scale` into a `size`×`size` bitmap (`ss`² samples per pixel). */
export function fillCoverage(contours: readonly (readonly Cubic[])[], size: number, scale: number, ss = 4): Bitmap {
  const big = fillMask(contours, size * ss, scale * ss)
  const out = createBitmap(size, size)
  const w = size * ss
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) if (big[y * w + x]) out.data[Math.floor(y / ss) * size + Math.floor(x / ss)]! += 1 / (ss * ss)
  return out
}

/** IoU of two 0/1 masks of the same length (1 when both are empty). */
export function binaryIou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0
  let union = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) inter++
    if (a[i] || b[i]) union++
  }
  return union === 0 ? 1 : inter / union
}
