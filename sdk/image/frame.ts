/**
 * Places a drawing brought in from elsewhere (a Figma export, a PNG) into a model's frame the way its training
 * images were framed. Icons were scaled to fill the box ({@link fitToBox}); glyphs keep their font's proportions —
 * an `o` is x-height tall and sits on the baseline, a `g` hangs below it — so a selected `o` scaled to fill the box
 * would read as a huge, heavy letter. With the model card's `framing` (median ink top and bottom per class in the
 * training images), the drawing's ink box is scaled so its height matches its class's and placed at that height,
 * centred horizontally (as the data build centres each glyph).
 */
import { assertBitmap, createBitmap, type Bitmap } from './bitmap.js'
import { fitToBox, inkBox, resampleArea } from './fit.js'

/** Median ink top and bottom per class, as fractions of the image size (a model card's `framing`). */
export interface ClassFraming {
  top: readonly number[]
  bottom: readonly number[]
}

/** Frames `bitmap` (any size) as class `cls` into `size`×`size`; without `framing`, {@link fitToBox}. */
export function frameDrawing(bitmap: Bitmap, cls: number, size: number, framing?: ClassFraming, threshold = 0.5): Bitmap {
  assertBitmap(bitmap)
  if (!framing) return fitToBox(bitmap, size)
  const box = inkBox(bitmap, threshold)
  if (!box) return createBitmap(size, size)
  const height = Math.max(1, (framing.bottom[cls]! - framing.top[cls]!) * size)
  const inkH = box.bottom - box.top
  const inkW = box.right - box.left
  // source pixels per destination pixel; a drawing far wider than tall (none of the glyph classes) is capped to fit
  const scale = Math.max(inkH / height, inkW / (size - 2))
  const srcSide = size * scale
  const x = box.left + inkW / 2 - srcSide / 2
  const y = box.top - framing.top[cls]! * size * scale
  return resampleArea(bitmap, x, y, srcSide, srcSide, size, size)
}

/** The `framing` of a model card from its training images (n S×S coverage bytes or floats, class per image). */
export function measureFraming(images: Uint8Array | Float32Array, classIds: ArrayLike<number>, n: number, S: number, classes: number): { top: number[]; bottom: number[] } {
  const tops: number[][] = Array.from({ length: classes }, () => [])
  const bottoms: number[][] = Array.from({ length: classes }, () => [])
  const scale = images instanceof Uint8Array ? 1 / 255 : 1
  for (let i = 0; i < n; i++) {
    const b = inkBox({ width: S, height: S, data: Float32Array.from(images.subarray(i * S * S, (i + 1) * S * S), (v) => v * scale) }, 0.5)
    if (!b) continue
    tops[classIds[i]!]!.push(b.top / S)
    bottoms[classIds[i]!]!.push(b.bottom / S)
  }
  const median = (xs: number[], fallback: number): number => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : fallback)
  return { top: tops.map((t) => +median(t, 1 / 16).toFixed(4)), bottom: bottoms.map((b) => +median(b, 15 / 16).toFixed(4)) }
}
