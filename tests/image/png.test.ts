import { Resvg } from '@resvg/resvg-js'
import { describe, expect, it } from 'vitest'
import { LatentypeError } from '../../sdk/errors.js'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { decodePng, encodePng, pngToBitmap } from '../../sdk/image/png.js'
import type { RgbaImage } from '../../sdk/image/rgba.js'
import { assemblePng, IEND, idat, ihdr, pngjsEncode, readChunks, scanlineFilters, type PngjsColorType } from './png-fixtures.js'

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    out[i] = s & 0xff
  }
  return out
}

/** A 23×17 test image: smooth gradients (so every filter wins somewhere) plus noise, per channel kind. */
function testImage(kind: 'gray' | 'grayAlpha' | 'rgb' | 'rgba'): RgbaImage {
  const width = 23
  const height = 17
  const n = noise(width * height * 4, 7)
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      const g = (x * 11 + y * 5 + (x * y) % 7) & 0xff
      const rgb = kind === 'rgb' || kind === 'rgba'
      data[i] = g
      data[i + 1] = rgb ? (y * 15 + n[i + 1]! % 4) & 0xff : g
      data[i + 2] = rgb ? n[i + 2]! : g
      data[i + 3] = kind === 'grayAlpha' || kind === 'rgba' ? (x * 9 + n[i + 3]! % 3) & 0xff : 255
    }
  }
  return { width, height, data }
}

function expectBadImage(f: () => unknown, pattern?: RegExp): void {
  let caught: unknown
  try {
    f()
  } catch (e) {
    caught = e
  }
  expect(caught, 'expected a LatentypeError').toBeInstanceOf(LatentypeError)
  expect((caught as LatentypeError).code).toBe('BAD_IMAGE')
  if (pattern) expect((caught as LatentypeError).message).toMatch(pattern)
}

describe('encodePng', () => {
  it('round-trips an 8-bit-quantised bitmap exactly, as black ink on white', () => {
    const data = new Float32Array(40 * 30)
    const n = noise(data.length, 3)
    for (let i = 0; i < data.length; i++) data[i] = n[i]! / 255
    const bitmap: Bitmap = { width: 40, height: 30, data }
    const png = encodePng(bitmap)
    expect(readChunks(png)[0]!.data[9]).toBe(0) // grayscale colour type
    const img = decodePng(png)
    for (let i = 0; i < data.length; i++) expect(img.data[i * 4]).toBe(255 - n[i]!)
    expect(pngToBitmap(png).data).toEqual(data)
  })

  it('clamps coverage outside 0..1 and rejects NaN', () => {
    const png = encodePng({ width: 2, height: 1, data: new Float32Array([-1, 7]) })
    expect(Array.from(decodePng(png).data)).toEqual([255, 255, 255, 255, 0, 0, 0, 255])
    expect(() => encodePng({ width: 1, height: 1, data: new Float32Array([NaN]) })).toThrow(/NaN/)
  })

  it.each([
    ['gray', 0],
    ['grayAlpha', 4],
    ['rgb', 2],
    ['rgba', 6],
  ] as const)('round-trips %s RGBA images exactly in colour type %i', (kind, colorType) => {
    const img = testImage(kind)
    const png = encodePng(img)
    expect(readChunks(png)[0]!.data[9]).toBe(colorType)
    expect(decodePng(png)).toEqual(img)
  })

  it('is deterministic and uses more than one filter type on mixed content', () => {
    const img = testImage('rgba')
    const a = encodePng(img)
    const b = encodePng({ ...img, data: img.data.slice() })
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    expect(new Set(scanlineFilters(a)).size).toBeGreaterThan(1)
  })

  it('writes PNGs an independent decoder (pngjs) reads back', async () => {
    const { PNG } = await import('pngjs')
    const img = testImage('rgba')
    const back = PNG.sync.read(Buffer.from(encodePng(img)))
    expect(new Uint8Array(back.data)).toEqual(img.data)
  })
})

describe('decodePng on independently encoded files', () => {
  const kinds: [PngjsColorType, 'gray' | 'grayAlpha' | 'rgb' | 'rgba'][] = [
    [0, 'gray'],
    [2, 'rgb'],
    [4, 'grayAlpha'],
    [6, 'rgba'],
  ]
  for (const [colorType, kind] of kinds) {
    for (const bitDepth of [8, 16] as const) {
      for (const filter of [0, 1, 2, 3, 4, -1] as const) {
        it(`colour type ${colorType}, ${bitDepth}-bit, filter ${filter === -1 ? 'adaptive' : filter}`, () => {
          const img = testImage(kind)
          const png = pngjsEncode(img.width, img.height, img.data, colorType, filter, bitDepth)
          const filters = scanlineFilters(png)
          if (filter >= 0) expect(filters.every((f) => f === filter)).toBe(true)
          else expect(new Set(filters).size).toBeGreaterThan(1)
          expect(decodePng(png)).toEqual(img)
        })
      }
    }
  }

  it('reads a resvg-rendered RGBA PNG with partial alpha', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="24"><rect width="32" height="24" fill="#fff" fill-opacity="0.25"/>' +
      '<circle cx="16" cy="12" r="9" fill="#c03" fill-opacity="0.6"/><path d="M2 2 L30 22" stroke="#000" stroke-width="2"/></svg>'
    const rendered = new Resvg(svg).render()
    const img = decodePng(rendered.asPng())
    expect([img.width, img.height]).toEqual([32, 24])
    const px = rendered.pixels // premultiplied RGBA
    const alphas = new Set<number>()
    for (let i = 0; i < 32 * 24; i++) {
      const a = img.data[i * 4 + 3]!
      expect(a).toBe(px[i * 4 + 3])
      alphas.add(a)
      for (let c = 0; c < 3; c++) expect(Math.abs(Math.round((img.data[i * 4 + c]! * a) / 255) - px[i * 4 + c]!)).toBeLessThanOrEqual(1)
    }
    expect(alphas.size).toBeGreaterThan(3)
  })

  it.each([1, 2, 4, 8])('reads %i-bit palette images with tRNS', (depth) => {
    const colors = 1 << depth
    const plte = Buffer.alloc(colors * 3)
    for (let k = 0; k < colors; k++) plte.set([k * 7, 255 - k, (k * 31) & 0xff], k * 3)
    const trns = Buffer.from([0, 128]) // entry 0 transparent, entry 1 half, others opaque
    const width = 9
    const height = 3
    const idx = (x: number, y: number): number => (x + y * 3) % colors
    const lines: number[][] = []
    for (let y = 0; y < height; y++) {
      const bits: number[] = []
      for (let x = 0; x < width; x++) for (let b = depth - 1; b >= 0; b--) bits.push((idx(x, y) >> b) & 1)
      while (bits.length % 8) bits.push(0)
      const bytes: number[] = []
      for (let i = 0; i < bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8).join(''), 2))
      lines.push([0, ...bytes])
    }
    const png = assemblePng([ihdr(width, height, depth, 3), { type: 'PLTE', data: plte }, { type: 'tRNS', data: trns }, idat(lines), IEND])
    const img = decodePng(png)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = idx(x, y)
        const o = (y * width + x) * 4
        expect(Array.from(img.data.subarray(o, o + 4))).toEqual([k * 7, 255 - k, (k * 31) & 0xff, k === 0 ? 0 : k === 1 ? 128 : 255])
      }
    }
  })

  it.each([1, 2, 4])('reads %i-bit grayscale with a tRNS key colour', (depth) => {
    const max = (1 << depth) - 1
    const samples = [0, max, 1, max - 1, 0, max, 1, max]
    const bits = samples.flatMap((s) => Array.from({ length: depth }, (_, b) => (s >> (depth - 1 - b)) & 1))
    while (bits.length % 8) bits.push(0)
    const bytes: number[] = []
    for (let i = 0; i < bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8).join(''), 2))
    const png = assemblePng([ihdr(8, 1, depth, 0), { type: 'tRNS', data: Buffer.from([0, max]) }, idat([[0, ...bytes]]), IEND])
    const img = decodePng(png)
    samples.forEach((s, x) => {
      expect(img.data[x * 4]).toBe(Math.round((s * 255) / max))
      expect(img.data[x * 4 + 3]).toBe(s === max ? 0 : 255)
    })
  })
})

describe('pngToBitmap', () => {
  it('composites over white and takes 255 − luminance as coverage', () => {
    const img: RgbaImage = {
      width: 5,
      height: 1,
      data: new Uint8Array([0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128, 255, 255, 255, 255, 255, 0, 0, 255]),
    }
    const b = pngToBitmap(encodePng(img))
    expect(b.data[0]).toBe(1) // black ink
    expect(b.data[1]).toBe(0) // transparent = paper
    expect(b.data[2]).toBeCloseTo(128 / 255, 6) // half-transparent black
    expect(b.data[3]).toBe(0) // white
    expect(b.data[4]).toBeCloseTo(1 - 0.2126, 4) // red: Rec. 709 luminance
  })

  it('turns a transparent-background render (like a Figma PNG export) into ink coverage = alpha', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="5" fill="#000"/></svg>'
    const rendered = new Resvg(svg).render()
    const b = pngToBitmap(rendered.asPng())
    for (let i = 0; i < 256; i++) expect(b.data[i]).toBeCloseTo(rendered.pixels[i * 4 + 3]! / 255, 6)
    expect(b.data[8 * 16 + 8]).toBe(1)
  })
})

describe('decodePng rejects bad input with BAD_IMAGE', () => {
  const good = encodePng(testImage('rgba'))

  it('random bytes and non-PNG files', () => {
    expectBadImage(() => decodePng(noise(500, 11)), /not a PNG/)
    expectBadImage(() => decodePng(new Uint8Array(0)), /not a PNG/)
    expectBadImage(() => decodePng(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')))
  })

  it('every truncation of a valid file', () => {
    for (let cut = 1; cut < good.length; cut += Math.max(1, Math.floor(good.length / 97))) {
      expectBadImage(() => decodePng(good.subarray(0, cut)))
    }
    expectBadImage(() => decodePng(good.subarray(0, good.length - 1)), /truncated/)
  })

  it('a flipped byte (CRC mismatch) and random bytes after the signature', () => {
    const bad = good.slice()
    bad[40] = bad[40]! ^ 0x10
    expectBadImage(() => decodePng(bad), /CRC/)
    const junk = noise(300, 5)
    junk.set(good.subarray(0, 8))
    expectBadImage(() => decodePng(junk))
  })

  it('interlaced images, invalid filter bytes, corrupt zlib, bad headers', () => {
    const row = [0, 1, 2, 3]
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 0, 1), idat([row]), IEND])), /interlaced/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 0), idat([[5, 1, 2, 3]]), IEND])), /filter type 5/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 0), { type: 'IDAT', data: Buffer.from([1, 2, 3, 4]) }, IEND])), /zlib/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 2, 8, 0), idat([row]), IEND])), /truncated/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 3, 2), idat([row]), IEND])), /bit depth 3/)
    expectBadImage(() => decodePng(assemblePng([ihdr(0, 1, 8, 0), idat([row]), IEND])), /invalid/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 3), idat([row]), IEND])), /PLTE/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 0), IEND])), /no image data/)
    expectBadImage(() => decodePng(assemblePng([ihdr(3, 1, 8, 0), idat([row])])), /truncated/)
  })
})
