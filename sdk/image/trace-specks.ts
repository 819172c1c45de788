/**
 * Faint specks: small traced islands whose ink never gets dark, and small pinholes whose paper never gets light.
 * A blurry decoder leaves them where its coverage wobbles around the outline level (grey residue beside a stroke,
 * a dimple in a solid area); real anti-aliased drawings have solid ink inside even their small parts. The tracer
 * drops them like potrace drops specks below its `turdsize`, but by contrast rather than by area alone, so a small
 * dark dot survives.
 */
import type { Bitmap } from './bitmap.js'
import type { Contour } from './trace-contours.js'

/**
 * True when `c` encloses at most `maxArea` px² and its darkest pixel (an island) stays below `level + margin`,
 * or its lightest pixel (a hole) stays above `level − margin`. Contour points are in pixel units with pixel (x, y)
 * centred at (x + 0.5, y + 0.5).
 */
export function isFaintSpeck(c: Contour, bitmap: Bitmap, level: number, maxArea: number, margin: number): boolean {
  if (Math.abs(c.area) > maxArea) return false
  const { width: W, height: H, data } = bitmap
  let x0 = Infinity
  let x1 = -Infinity
  let y0 = Infinity
  let y1 = -Infinity
  for (const p of c.points) {
    x0 = Math.min(x0, p.x)
    x1 = Math.max(x1, p.x)
    y0 = Math.min(y0, p.y)
    y1 = Math.max(y1, p.y)
  }
  // isoContours walks outer boundaries with negative signed area, holes with positive
  const island = c.area < 0
  let extreme = island ? 0 : 1
  for (let y = Math.max(0, Math.floor(y0 - 0.5)); y <= Math.min(H - 1, Math.ceil(y1 - 0.5)); y++) {
    for (let x = Math.max(0, Math.floor(x0 - 0.5)); x <= Math.min(W - 1, Math.ceil(x1 - 0.5)); x++) {
      if (!inside(c.points, x + 0.5, y + 0.5)) continue
      const v = data[y * W + x]!
      extreme = island ? Math.max(extreme, v) : Math.min(extreme, v)
    }
  }
  return island ? extreme < level + margin : extreme > level - margin
}

/** Even-odd point-in-polygon test. */
function inside(pts: readonly { x: number; y: number }[], x: number, y: number): boolean {
  let hit = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!
    const b = pts[j]!
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) hit = !hit
  }
  return hit
}
