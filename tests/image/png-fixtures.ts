/**
 * Independent PNG fixtures for the decoder tests: pngjs (its own filters, deflate and CRC) for colour types
 * 0/2/4/6 at 8 and 16 bits with every filter type, and a chunk assembler on node:zlib + pngjs's CRC for what
 * pngjs cannot write (palettes, 1/2/4-bit gray, tRNS, interlace flag, corrupt filter bytes).
 */
import { deflateSync, inflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
// @ts-expect-error pngjs ships no types for its internal CRC module
import CrcCalculator from 'pngjs/lib/crc.js'

const crc32 = (CrcCalculator as { crc32(buf: Buffer): number }).crc32

export type PngjsColorType = 0 | 2 | 4 | 6

/** Encodes 8-bit RGBA pixels with pngjs as colour type `colorType`, bit depth 8 or 16, one filter (−1 adaptive). */
export function pngjsEncode(
  width: number,
  height: number,
  rgba: Uint8Array,
  colorType: PngjsColorType,
  filterType: -1 | 0 | 1 | 2 | 3 | 4,
  bitDepth: 8 | 16 = 8,
): Uint8Array {
  const png = new PNG({ width, height, colorType, inputColorType: 6, inputHasAlpha: true, bitDepth, filterType })
  if (bitDepth === 16) {
    const wide = new Uint16Array(rgba.length)
    for (let i = 0; i < rgba.length; i++) wide[i] = rgba[i]! * 257
    png.data = Buffer.from(wide.buffer)
  } else {
    png.data = Buffer.from(rgba)
  }
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true, bitDepth, filterType }))
}

/** Filter type byte of every scanline of a non-interlaced PNG (to prove which filters a fixture uses). */
export function scanlineFilters(png: Uint8Array): number[] {
  const chunks = readChunks(png)
  const ihdr = chunks.find((c) => c.type === 'IHDR')!.data
  const width = ihdr.readUInt32BE(0)
  const height = ihdr.readUInt32BE(4)
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[ihdr[9]!]!
  const stride = Math.ceil((width * channels * ihdr[8]!) / 8) + 1
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)))
  return Array.from({ length: height }, (_, y) => raw[y * stride]!)
}

export interface RawChunk {
  type: string
  data: Buffer
}

export function readChunks(png: Uint8Array): RawChunk[] {
  const buf = Buffer.from(png)
  const out: RawChunk[] = []
  for (let o = 8; o < buf.length; ) {
    const len = buf.readUInt32BE(o)
    out.push({ type: buf.toString('latin1', o + 4, o + 8), data: buf.subarray(o + 8, o + 8 + len) })
    o += 12 + len
  }
  return out
}

/** Builds a PNG from chunks (CRC from pngjs). */
export function assemblePng(chunks: RawChunk[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])]
  for (const c of chunks) {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(c.data.length, 0)
    head.write(c.type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeInt32BE(crc32(Buffer.concat([head.subarray(4), c.data])), 0)
    parts.push(head, c.data, crc)
  }
  return new Uint8Array(Buffer.concat(parts))
}

export function ihdr(width: number, height: number, depth: number, colorType: number, interlace = 0): RawChunk {
  const d = Buffer.alloc(13)
  d.writeUInt32BE(width, 0)
  d.writeUInt32BE(height, 4)
  d.set([depth, colorType, 0, 0, interlace], 8)
  return { type: 'IHDR', data: d }
}

/** IDAT from already-filtered scanlines (each starting with its filter byte), deflated by node:zlib. */
export function idat(scanlines: number[][]): RawChunk {
  return { type: 'IDAT', data: deflateSync(Buffer.from(scanlines.flat())) }
}

export const IEND: RawChunk = { type: 'IEND', data: Buffer.alloc(0) }
