import { LatentypeError } from '../errors.js'
import { assertBitmap, createBitmap, type Bitmap } from './bitmap.js'

/** The ink bounding box of a bitmap, in pixels: columns `[left, right)`, rows `[top, bottom)`. */
export interface InkBox {
  left: number
  top: number
  right: number
  bottom: number
}

/**
 * The smallest box holding every pixel whose coverage is above `threshold`, or `null` for a blank bitmap.
 *
 * @example
 * ```ts
 * const box = inkBox(bitmap) // { left: 3, top: 5, right: 60, bottom: 58 }
 * ```
 */
export function inkBox(bitmap: Bitmap, threshold = 0.02): InkBox | null {
  assertBitmap(bitmap)
  const { width, height, data } = bitmap
  let left = width
  let top = height
  let right = -1
  let bottom = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (data[row + x]! > threshold) {
        if (x < left) left = x
        if (x > right) right = x
        if (y < top) top = y
        bottom = y
      }
    }
  }
  if (right < 0) return null
  return { left, top, right: right + 1, bottom: bottom + 1 }
}

/**
 * Area-averaging weights for resampling `srcLength` source pixels, starting at source coordinate `srcStart`
 * and spanning `srcSpan` source pixels (may reach outside the source: outside is paper), onto `dstLength`
 * destination pixels. Each destination pixel averages the source over its footprint, weighted by overlap.
 */
function axisWeights(srcLength: number, srcStart: number, srcSpan: number, dstLength: number): { index: Int32Array; weight: Float32Array; offsets: Int32Array } {
  const scale = srcSpan / dstLength
  const index: number[] = []
  const weight: number[] = []
  const offsets = new Int32Array(dstLength + 1)
  for (let d = 0; d < dstLength; d++) {
    offsets[d] = index.length
    const a = srcStart + d * scale
    const b = a + scale
    const first = Math.max(0, Math.floor(a))
    const last = Math.min(srcLength - 1, Math.ceil(b) - 1)
    for (let s = first; s <= last; s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s)
      if (overlap > 1e-9) {
        index.push(s)
        weight.push(overlap / scale)
      }
    }
  }
  offsets[dstLength] = index.length
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), offsets }
}

/**
 * Resamples the source rectangle (x, y, w, h in source pixels, may extend past the edges) into a
 * `dstWidth`×`dstHeight` bitmap by area averaging (a box filter over each destination pixel's footprint),
 * so thin strokes keep their total ink instead of aliasing away.
 */
export function resampleArea(src: Bitmap, x: number, y: number, w: number, h: number, dstWidth: number, dstHeight: number): Bitmap {
  assertBitmap(src)
  const cols = axisWeights(src.width, x, w, dstWidth)
  const rows = axisWeights(src.height, y, h, dstHeight)
  // Horizontal pass over only the rows the vertical pass needs.
  const tmp = new Float32Array(src.height * dstWidth)
  const usedRows = new Uint8Array(src.height)
  for (let k = 0; k < rows.index.length; k++) usedRows[rows.index[k]!] = 1
  for (let sy = 0; sy < src.height; sy++) {
    if (!usedRows[sy]) continue
    const srow = sy * src.width
    for (let dx = 0; dx < dstWidth; dx++) {
      let acc = 0
      for (let k = cols.offsets[dx]!; k < cols.offsets[dx + 1]!; k++) acc += src.data[srow + cols.index[k]!]! * cols.weight[k]!
      tmp[sy * dstWidth + dx] = acc
    }
  }
  const out = createBitmap(dstWidth, dstHeight)
  for (let dy = 0; dy < dstHeight; dy++) {
    for (let k = rows.offsets[dy]!; k < rows.offsets[dy + 1]!; k++) {
      const trow = rows.index[k]! * dstWidth
      const wgt = rows.weight[k]!
      for (let dx = 0; dx < dstWidth; dx++) out.data[dy * dstWidth + dx]! += tmp[trow + dx]! * wgt
    }
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(1, Math.max(0, out.data[i]!))
  return out
}

/**
 * Crops a bitmap to its ink box, pads it to a centred square, and scales it into a `size`×`size` bitmap whose
 * longer ink side spans exactly `size - 2*margin` pixels (area-averaging resample). Pure TypeScript: used by the
 * icon rasteriser and by the plugin when it encodes a user's selection, so both see drawings framed the same way.
 * A blank bitmap comes back blank.
 *
 * @param margin paper pixels kept on each side of the longer ink side (default 4 for 64×64)
 * @param threshold coverage above which a pixel counts as ink when finding the box (default 0.02)
 * @example
 * ```ts
 * const framed = fitToBox(renderedSelection, 64, 4)
 * ```
 */
export function fitToBox(bitmap: Bitmap, size: number, margin = Math.round(size / 16), threshold = 0.02): Bitmap {
  assertBitmap(bitmap)
  if (!Number.isInteger(size) || size <= 0) {
    throw new LatentypeError('BAD_ARGUMENT', `fitToBox size ${size} is invalid — pass a positive integer such as 64`)
  }
  if (!Number.isInteger(margin) || margin < 0 || 2 * margin >= size) {
    throw new LatentypeError('BAD_ARGUMENT', `fitToBox margin ${margin} is invalid for size ${size} — use an integer in 0..${Math.ceil(size / 2) - 1}`)
  }
  const frame = fitFrame(bitmap, size, margin, threshold)
  if (!frame) return createBitmap(size, size)
  return resampleArea(bitmap, frame.x, frame.y, frame.side, frame.side, size, size)
}

/**
 * The source square {@link fitToBox} resamples into `size`×`size` (x, y, side in source pixels; may reach past the
 * edges), or `null` for a blank bitmap. The same frame scaled by k frames a k× larger render of the same drawing.
 */
export function fitFrame(bitmap: Bitmap, size: number, margin: number, threshold = 0.02): { x: number; y: number; side: number } | null {
  const box = inkBox(bitmap, threshold)
  if (!box) return null
  const w = box.right - box.left
  const h = box.bottom - box.top
  const side = Math.max(w, h)
  const inner = size - 2 * margin
  // Source square (side×side) centred on the ink box; expand it so that `margin` destination pixels map to paper.
  const scale = side / inner
  const srcSide = size * scale
  return { x: box.left + w / 2 - srcSide / 2, y: box.top + h / 2 - srcSide / 2, side: srcSide }
}
