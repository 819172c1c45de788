/** Synthetic test shapes as anti-aliased coverage bitmaps (4×4 supersampling), plus IoU helpers. */
import { Resvg } from '@resvg/resvg-js'
import type { Bitmap } from '../../sdk/image/bitmap.js'

export type Inside = (x: number, y: number) => boolean

/** Coverage of `inside` over each pixel, estimated with `ss`×`ss` samples. */
export function rasterize(width: number, height: number, inside: Inside, ss = 4): Bitmap {
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) if (inside(x + (sx + 0.5) / ss, y + (sy + 0.5) / ss)) hits++
      }
      data[y * width + x] = hits / (ss * ss)
    }
  }
  return { width, height, data }
}

const inCircle = (cx: number, cy: number, r: number): Inside => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const inRect = (x0: number, y0: number, x1: number, y1: number): Inside => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1

export const disc: Inside = inCircle(32, 32, 20)
export const ring: Inside = (x, y) => inCircle(32, 32, 22)(x, y) && !inCircle(32, 32, 12)(x, y)
/** Two stacked rings that overlap: one outline, two counters. */
export const eight: Inside = (x, y) =>
  (inCircle(32, 19, 13)(x, y) || inCircle(32, 44, 15)(x, y)) && !inCircle(32, 19, 6)(x, y) && !inCircle(32, 44, 7.5)(x, y)
/** A padlock: body with a keyhole, and a shackle (half ring with legs) on top: one outline, two counters. */
export const padlock: Inside = (x, y) => {
  const body = inRect(14, 30, 50, 57)(x, y) && !(inCircle(32, 40, 3.5)(x, y) || inRect(30.5, 40, 33.5, 49)(x, y))
  const arch = y <= 30 && inCircle(32, 30, 14)(x, y) && !inCircle(32, 30, 8.5)(x, y)
  const legs = y > 29 && y <= 31 && (inRect(18, 29, 23.5, 31)(x, y) || inRect(40.5, 29, 46, 31)(x, y))
  return body || arch || legs
}
/** A 2.5 px wide diagonal stroke with round ends. */
export const stroke: Inside = (x, y) => {
  const ax = 10, ay = 52, bx = 54, by = 12
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= 1.25 ** 2
}

/** Renders an SVG document with resvg; returns alpha (0..255) per pixel. */
export function renderAlpha(svg: string): { width: number; height: number; alpha: Uint8Array } {
  const img = new Resvg(svg, { shapeRendering: 2 }).render()
  const px = img.pixels
  const alpha = new Uint8Array(img.width * img.height)
  for (let i = 0; i < alpha.length; i++) alpha[i] = px[i * 4 + 3]!
  return { width: img.width, height: img.height, alpha }
}

/** Intersection over union of ink masks: bitmap coverage ≥ 0.5 vs rendered alpha ≥ 128. */
export function iou(bitmap: Bitmap, alpha: Uint8Array): number {
  let inter = 0
  let union = 0
  for (let i = 0; i < bitmap.data.length; i++) {
    const a = bitmap.data[i]! >= 0.5
    const b = alpha[i]! >= 128
    if (a && b) inter++
    if (a || b) union++
  }
  return union === 0 ? 1 : inter / union
}

/** The bitmap thresholded at 0.5 to hard 0/1 coverage (pixel-art input). */
export function binarize(b: Bitmap): Bitmap {
  return { width: b.width, height: b.height, data: b.data.map((v) => (v >= 0.5 ? 1 : 0)) }
}
