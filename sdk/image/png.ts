import { zlibSync } from 'fflate'
import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from './bitmap.js'
import { crc32 } from './crc32.js'
import { decodePng, paeth } from './png-decode.js'
import { assertRgbaImage, type RgbaImage } from './rgba.js'

export { decodePng } from './png-decode.js'

/** PNG colour types this encoder writes. */
type ColorType = 0 | 2 | 4 | 6
const CHANNELS: Record<ColorType, number> = { 0: 1, 2: 3, 4: 2, 6: 4 }

/** Fixed deflate level: output bytes depend only on the input (and the fflate version). */
const DEFLATE_LEVEL = 9

/**
 * Encodes a bitmap or an RGBA image as PNG bytes. Deterministic: the same input always gives identical bytes.
 *
 * - A {@link Bitmap} becomes 8-bit grayscale, ink black on white: `pixel = 255 − round(255·coverage)`
 *   (coverage is clamped to 0..1; NaN throws BAD_BITMAP).
 * - An {@link RgbaImage} is written losslessly in the smallest fitting colour type (gray, gray+alpha, RGB or
 *   RGBA), so `decodePng(encodePng(img))` returns exactly `img`.
 *
 * @example
 * ```ts
 * const bytes = encodePng(bitmap)          // grayscale PNG, ink black
 * await fs.writeFile('glyph.png', bytes)
 * ```
 */
export function encodePng(image: Bitmap | RgbaImage): Uint8Array {
  if (image && image.data instanceof Float32Array) return encodeBitmap(image as Bitmap)
  const rgba = image as RgbaImage
  assertRgbaImage(rgba)
  const colorType = smallestColorType(rgba)
  const channels = CHANNELS[colorType]
  const pixels = new Uint8Array(rgba.width * rgba.height * channels)
  const src = rgba.data
  for (let i = 0, o = 0; i < src.length; i += 4) {
    if (colorType === 0 || colorType === 4) pixels[o++] = src[i]!
    else {
      pixels[o++] = src[i]!
      pixels[o++] = src[i + 1]!
      pixels[o++] = src[i + 2]!
    }
    if (colorType === 4 || colorType === 6) pixels[o++] = src[i + 3]!
  }
  return writePng(rgba.width, rgba.height, colorType, pixels)
}

/**
 * Decodes PNG bytes (e.g. a Figma selection exported with `exportAsync({ format: 'PNG' })`) into a coverage
 * bitmap: each pixel is composited over white using its alpha, and coverage = (255 − luminance) / 255
 * (Rec. 709 weights on the sRGB values). Black ink on a transparent or white background gives coverage = ink.
 * Also accepts an already decoded {@link RgbaImage}. Throws BAD_IMAGE for bytes that are not a supported PNG.
 *
 * @example
 * ```ts
 * const bitmap = pngToBitmap(await figma.currentPage.selection[0].exportAsync({ format: 'PNG' }))
 * ```
 */
export function pngToBitmap(png: Uint8Array | RgbaImage): Bitmap {
  const img = png instanceof Uint8Array ? decodePng(png) : png
  assertRgbaImage(img)
  const { width, height, data: src } = img
  const data = new Float32Array(width * height)
  for (let p = 0, i = 0; p < data.length; p++, i += 4) {
    const r = src[i]!
    const g = src[i + 1]!
    const b = src[i + 2]!
    const alpha = src[i + 3]!
    // Gray pixels skip the weighted sum so 8-bit values round-trip exactly through encodePng(bitmap).
    const lum = r === g && g === b ? r : 0.2126 * r + 0.7152 * g + 0.0722 * b
    const ink = 255 - lum
    data[p] = Math.min(1, Math.max(0, alpha === 255 ? ink / 255 : (alpha * ink) / (255 * 255)))
  }
  return { width, height, data }
}

function encodeBitmap(bitmap: Bitmap): Uint8Array {
  assertBitmap(bitmap)
  const { width, height, data } = bitmap
  if (width <= 0 || height <= 0) {
    throw new LatentypeError('BAD_BITMAP', `bitmap size ${width}×${height} is invalid — width and height must be positive`)
  }
  const pixels = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!
    if (Number.isNaN(c)) {
      throw new LatentypeError(
        'BAD_BITMAP',
        `bitmap has NaN coverage at pixel (${i % width}, ${Math.floor(i / width)}) — check the decoder output for NaN`,
      )
    }
    pixels[i] = 255 - Math.round(255 * Math.min(1, Math.max(0, c)))
  }
  return writePng(width, height, 0, pixels)
}

function smallestColorType(img: RgbaImage): ColorType {
  let gray = true
  let opaque = true
  const d = img.data
  for (let i = 0; i < d.length && (gray || opaque); i += 4) {
    if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) gray = false
    if (d[i + 3] !== 255) opaque = false
  }
  if (gray) return opaque ? 0 : 4
  return opaque ? 2 : 6
}

/** Assembles a PNG from tightly packed 8-bit samples: IHDR, one IDAT, IEND. */
function writePng(width: number, height: number, colorType: ColorType, pixels: Uint8Array): Uint8Array {
  const bpp = CHANNELS[colorType]
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([8, colorType, 0, 0, 0], 8)
  const idat = zlibSync(filterRows(pixels, width * bpp, height, bpp), { level: DEFLATE_LEVEL })
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]
  const signature = [137, 80, 78, 71, 13, 10, 26, 10]
  const out = new Uint8Array(8 + chunks.reduce((n, c) => n + c.length, 0))
  out.set(signature, 0)
  let o = 8
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  return out
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length))
  return out
}

/**
 * Filters each scanline with the filter (None, Sub, Up, Average, Paeth) whose output has the smallest sum of
 * absolute signed bytes — the usual libpng heuristic; ties go to the lower filter number.
 */
function filterRows(pixels: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array((stride + 1) * height)
  const trial = new Uint8Array(stride)
  const zero = new Uint8Array(stride)
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride)
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : zero
    const dst = out.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    dst.set(row)
    let bestType = 0
    let bestCost = cost(row)
    for (let type = 1; type <= 4 && bestCost > 0; type++) {
      applyFilter(type, row, up, bpp, trial)
      const c = cost(trial)
      if (c < bestCost) {
        bestCost = c
        bestType = type
        dst.set(trial)
      }
    }
    out[y * (stride + 1)] = bestType
  }
  return out
}

function applyFilter(type: number, row: Uint8Array, up: Uint8Array, bpp: number, out: Uint8Array): void {
  const n = row.length
  if (type === 1) {
    for (let i = 0; i < bpp; i++) out[i] = row[i]!
    for (let i = bpp; i < n; i++) out[i] = (row[i]! - row[i - bpp]!) & 0xff
  } else if (type === 2) {
    for (let i = 0; i < n; i++) out[i] = (row[i]! - up[i]!) & 0xff
  } else if (type === 3) {
    for (let i = 0; i < bpp; i++) out[i] = (row[i]! - (up[i]! >> 1)) & 0xff
    for (let i = bpp; i < n; i++) out[i] = (row[i]! - ((row[i - bpp]! + up[i]!) >> 1)) & 0xff
  } else {
    for (let i = 0; i < bpp; i++) out[i] = (row[i]! - up[i]!) & 0xff
    for (let i = bpp; i < n; i++) out[i] = (row[i]! - paeth(row[i - bpp]!, up[i]!, up[i - bpp]!)) & 0xff
  }
}

/** Sum of the bytes read as signed values, in absolute value. */
function cost(bytes: Uint8Array): number {
  let c = 0
  for (let i = 0; i < bytes.length; i++) {
    const v = bytes[i]!
    c += v < 128 ? v : 256 - v
  }
  return c
}
