import { LatentypeError } from '../errors.js'

/**
 * A single-channel image: coverage (ink) in 0..1, row-major, `data.length === width * height`.
 * 0 is paper, 1 is ink. This is what the model reads and writes.
 *
 * @example
 * ```ts
 * const b = createBitmap(64, 64)
 * b.data[32 * 64 + 32] = 1
 * ```
 */
export interface Bitmap {
  width: number
  height: number
  data: Float32Array
}

/** A blank (all paper) bitmap. */
export function createBitmap(width: number, height: number): Bitmap {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new LatentypeError('BAD_BITMAP', `bitmap size ${width}×${height} is invalid — width and height must be positive integers`)
  }
  return { width, height, data: new Float32Array(width * height) }
}

/** Checks that a value is a well-formed bitmap of the expected size; throws BAD_BITMAP naming the fix. */
export function assertBitmap(b: Bitmap, width?: number, height?: number): void {
  if (!b || !(b.data instanceof Float32Array) || b.data.length !== b.width * b.height) {
    throw new LatentypeError('BAD_BITMAP', 'bitmap is malformed — expected { width, height, data: Float32Array(width*height) }')
  }
  if (width !== undefined && height !== undefined && (b.width !== width || b.height !== height)) {
    throw new LatentypeError(
      'BAD_BITMAP',
      `bitmap is ${b.width}×${b.height} but the model expects ${width}×${height} — resize it first (e.g. fitToBox(bitmap, ${width}))`,
    )
  }
}
