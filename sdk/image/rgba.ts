import { LatentypeError } from '../errors.js'

/**
 * An 8-bit RGBA image: row-major, 4 bytes per pixel (red, green, blue, alpha), sRGB, alpha not premultiplied.
 * `data.length === width * height * 4`. This is what {@link decodePng} returns and what a contact sheet is drawn on.
 *
 * @example
 * ```ts
 * const img = createRgbaImage(2, 1, [255, 255, 255, 255])
 * img.data.set([255, 0, 0, 255], 4) // second pixel red
 * ```
 */
export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array
}

/** Largest image (in pixels) the image module will allocate: 64 megapixels, 256 MiB of RGBA. */
export const MAX_IMAGE_PIXELS = 1 << 26

/**
 * A new RGBA image filled with one colour (default transparent black).
 *
 * @example
 * ```ts
 * const white = createRgbaImage(64, 64, [255, 255, 255, 255])
 * ```
 */
export function createRgbaImage(width: number, height: number, fill: readonly number[] = [0, 0, 0, 0]): RgbaImage {
  assertImageSize(width, height)
  const data = new Uint8Array(width * height * 4)
  if (fill.some((v) => v !== 0)) {
    const [r = 0, g = 0, b = 0, a = 255] = fill
    for (let i = 0; i < data.length; i += 4) {
      data[i] = r
      data[i + 1] = g
      data[i + 2] = b
      data[i + 3] = a
    }
  }
  return { width, height, data }
}

/** Throws BAD_IMAGE unless width and height are positive integers within {@link MAX_IMAGE_PIXELS}. */
export function assertImageSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new LatentypeError('BAD_IMAGE', `image size ${width}×${height} is invalid — width and height must be positive integers`)
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new LatentypeError(
      'BAD_IMAGE',
      `image size ${width}×${height} exceeds ${MAX_IMAGE_PIXELS} pixels — downscale it (e.g. export the selection at 1x)`,
    )
  }
}

/** Checks that a value is a well-formed RGBA image; throws BAD_IMAGE naming the fix. */
export function assertRgbaImage(img: RgbaImage): void {
  if (!img || !(img.data instanceof Uint8Array)) {
    throw new LatentypeError('BAD_IMAGE', 'image is malformed — expected { width, height, data: Uint8Array(width*height*4) }')
  }
  assertImageSize(img.width, img.height)
  if (img.data.length !== img.width * img.height * 4) {
    throw new LatentypeError(
      'BAD_IMAGE',
      `image data has ${img.data.length} bytes but ${img.width}×${img.height} RGBA needs ${img.width * img.height * 4}`,
    )
  }
}
