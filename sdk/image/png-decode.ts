import { unzlibSync } from 'fflate'
import { LatentypeError } from '../errors.js'
import { crc32 } from './crc32.js'
import { assertImageSize, type RgbaImage } from './rgba.js'

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10]
/** Allowed bit depths per colour type (PNG spec, table 11.1). */
const DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

interface Header {
  width: number
  height: number
  depth: number
  colorType: number
}

function bad(message: string, cause?: unknown): LatentypeError {
  return new LatentypeError('BAD_IMAGE', message, cause === undefined ? undefined : { cause })
}

/**
 * Decodes PNG bytes into an 8-bit RGBA image (non-premultiplied). Supports colour types 0, 2, 3, 4 and 6,
 * bit depths 1/2/4/8/16 (16-bit samples are rounded to 8 bits), palette transparency (`tRNS`), all five
 * scanline filters. Interlaced (Adam7) images and anything malformed, truncated or corrupt (bad CRC) throw
 * a {@link LatentypeError} with code `BAD_IMAGE`.
 *
 * @example
 * ```ts
 * const { width, height, data } = decodePng(await fs.readFile('icon.png'))
 * const alphaOfFirstPixel = data[3]
 * ```
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  if (!(bytes instanceof Uint8Array)) throw bad('PNG input must be a Uint8Array of file bytes')
  if (bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) {
    throw bad('not a PNG file (signature missing) — pass the bytes of a .png file, e.g. exportAsync({ format: "PNG" })')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let header: Header | undefined
  let palette: Uint8Array | undefined
  let trns: Uint8Array | undefined
  const idat: Uint8Array[] = []
  let ended = false
  for (let o = 8; !ended; ) {
    if (o + 12 > bytes.length) throw bad('PNG is truncated (chunk header cut off) — the file is incomplete, re-export it')
    const length = view.getUint32(o)
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!)
    if (length > 0x7fffffff || o + 12 + length > bytes.length) {
      throw bad(`PNG is truncated (chunk ${JSON.stringify(type)} needs ${length} bytes) — the file is incomplete, re-export it`)
    }
    const data = bytes.subarray(o + 8, o + 8 + length)
    if (crc32(bytes, o + 4, o + 8 + length) !== view.getUint32(o + 8 + length)) {
      throw bad(`PNG chunk ${JSON.stringify(type)} is corrupt (CRC mismatch) — the file was damaged, re-export it`)
    }
    if (!header && type !== 'IHDR') throw bad('PNG is malformed: the first chunk must be IHDR')
    if (type === 'IHDR') header = readHeader(data)
    else if (type === 'PLTE') palette = data
    else if (type === 'tRNS') trns = data
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') ended = true
    else if ((bytes[o + 4]! & 0x20) === 0) throw bad(`PNG has an unknown critical chunk ${JSON.stringify(type)}`)
    o += 12 + length
  }
  if (!header) throw bad('PNG has no IHDR chunk')
  if (idat.length === 0) throw bad('PNG has no image data (IDAT) — the file is incomplete, re-export it')
  if (header.colorType === 3 && !palette) throw bad('palette PNG has no PLTE chunk')
  const stride = Math.ceil((header.width * header.depth * CHANNELS[header.colorType]!) / 8)
  const raw = inflate(idat, (stride + 1) * header.height)
  const samples = unfilter(raw, stride, header.height, Math.max(1, (header.depth * CHANNELS[header.colorType]!) >> 3))
  return toRgba(header, samples, stride, palette, trns)
}

function readHeader(d: Uint8Array): Header {
  if (d.length !== 13) throw bad('PNG IHDR chunk has the wrong length')
  const v = new DataView(d.buffer, d.byteOffset, 13)
  const h: Header = { width: v.getUint32(0), height: v.getUint32(4), depth: d[8]!, colorType: d[9]! }
  assertImageSize(h.width, h.height)
  const depths = DEPTHS[h.colorType]
  if (!depths) throw bad(`PNG colour type ${h.colorType} is not defined by the PNG specification`)
  if (!depths.includes(h.depth)) throw bad(`PNG bit depth ${h.depth} is invalid for colour type ${h.colorType}`)
  if (d[10] !== 0 || d[11] !== 0) throw bad('PNG uses an unknown compression or filter method')
  if (d[12] === 1) {
    throw bad('interlaced (Adam7) PNGs are not supported — re-export the image without interlacing')
  }
  if (d[12] !== 0) throw bad(`PNG interlace method ${d[12]} is invalid`)
  return h
}

function inflate(parts: Uint8Array[], expected: number): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const joined = parts.length === 1 ? parts[0]! : new Uint8Array(total)
  if (parts.length > 1) {
    let o = 0
    for (const p of parts) {
      joined.set(p, o)
      o += p.length
    }
  }
  let raw: Uint8Array
  try {
    raw = unzlibSync(joined)
  } catch (e) {
    throw bad('PNG image data is corrupt (zlib stream invalid) — the file was damaged, re-export it', e)
  }
  if (raw.length < expected) {
    throw bad(`PNG image data is truncated (${raw.length} of ${expected} bytes) — the file is incomplete, re-export it`)
  }
  return raw
}

/** Reverses the scanline filters in place; returns the rows without their filter bytes. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!
    const src = y * (stride + 1) + 1
    const row = y * stride
    const up = row - stride
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[row + i - bpp]! : 0
      const b = y > 0 ? out[up + i]! : 0
      const c = i >= bpp && y > 0 ? out[up + i - bpp]! : 0
      let pred: number
      if (type === 0) pred = 0
      else if (type === 1) pred = a
      else if (type === 2) pred = b
      else if (type === 3) pred = (a + b) >> 1
      else if (type === 4) pred = paeth(a, b, c)
      else throw bad(`PNG row ${y} has an invalid filter type ${type} — the file is corrupt`)
      out[row + i] = (raw[src + i]! + pred) & 0xff
    }
  }
  return out
}

function toRgba(h: Header, s: Uint8Array, stride: number, palette?: Uint8Array, trns?: Uint8Array): RgbaImage {
  const { width, height, depth, colorType } = h
  const channels = CHANNELS[colorType]!
  const out = new Uint8Array(width * height * 4)
  const maxSample = (1 << depth) - 1
  // Raw sample n (0-based, in units of `depth` bits) of row y, as an integer in 0..2^depth−1.
  const sample = (row: number, n: number): number => {
    if (depth === 8) return s[row + n]!
    if (depth === 16) return (s[row + 2 * n]! << 8) | s[row + 2 * n + 1]!
    const bit = n * depth
    return (s[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & maxSample
  }
  const to8 = (v: number): number => (depth === 8 ? v : depth === 16 ? Math.round(v / 257) : Math.round((v * 255) / maxSample))
  const trnsSample = (k: number): number => (trns && trns.length >= 2 * k + 2 ? (trns[2 * k]! << 8) | trns[2 * k + 1]! : -1)
  for (let y = 0; y < height; y++) {
    const row = y * stride
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      const n = x * channels
      if (colorType === 3) {
        const idx = sample(row, n)
        if (idx * 3 + 2 >= palette!.length) throw bad(`PNG palette index ${idx} is out of range — the file is corrupt`)
        out[o] = palette![idx * 3]!
        out[o + 1] = palette![idx * 3 + 1]!
        out[o + 2] = palette![idx * 3 + 2]!
        out[o + 3] = trns && idx < trns.length ? trns[idx]! : 255
      } else if (colorType === 0 || colorType === 4) {
        const g = sample(row, n)
        out[o] = out[o + 1] = out[o + 2] = to8(g)
        out[o + 3] = colorType === 4 ? to8(sample(row, n + 1)) : g === trnsSample(0) ? 0 : 255
      } else {
        const r = sample(row, n)
        const g = sample(row, n + 1)
        const b = sample(row, n + 2)
        out[o] = to8(r)
        out[o + 1] = to8(g)
        out[o + 2] = to8(b)
        if (colorType === 6) out[o + 3] = to8(sample(row, n + 3))
        else out[o + 3] = r === trnsSample(0) && g === trnsSample(1) && b === trnsSample(2) ? 0 : 255
      }
    }
  }
  return { width, height, data: out }
}

/** The Paeth predictor from the PNG specification (shared with the encoder). */
export function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}
