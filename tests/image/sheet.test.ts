import { describe, expect, it } from 'vitest'
import { LatentypeError } from '../../sdk/errors.js'
import { createBitmap } from '../../sdk/image/bitmap.js'
import { FONT_ADVANCE, glyphRows } from '../../sdk/image/font5x7.js'
import { decodePng, encodePng } from '../../sdk/image/png.js'
import type { RgbaImage } from '../../sdk/image/rgba.js'
import { encodeSheetPng, renderSheet } from '../../sdk/image/sheet.js'
import { drawText, measureText } from '../../sdk/image/text.js'
import { createRgbaImage } from '../../sdk/image/rgba.js'
import { disc, rasterize, ring } from './shapes.js'

const gray = (img: RgbaImage, x: number, y: number): number => img.data[(y * img.width + x) * 4]!

function darkPixels(img: RgbaImage, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (gray(img, x, y) < 128) n++
  return n
}

describe('renderSheet', () => {
  const a = rasterize(16, 16, (x, y) => disc(x * 4, y * 4))
  const b = rasterize(16, 16, (x, y) => ring(x * 4, y * 4))

  it('lays out cells, gaps, margins and label column as documented', () => {
    const img = renderSheet([[a, b, a], [b, a, null]], { scale: 2, gap: 3, margin: 5, labelWidth: 40 })
    expect(img.width).toBe(5 + 40 + 3 * 32 + 2 * 3 + 5)
    expect(img.height).toBe(5 + 2 * 32 + 3 + 5)
    // the centre of the first cell is ink (disc), the centre of the second cell is paper (ring's counter)
    expect(gray(img, 5 + 40 + 16, 5 + 16)).toBe(0)
    expect(gray(img, 5 + 40 + 32 + 3 + 16, 5 + 16)).toBe(255)
    // an empty cell is blank white paper, the gap is the page tone
    expect(gray(img, 5 + 40 + 2 * 35 + 16, 5 + 35 + 16)).toBe(255)
    expect(gray(img, 5 + 40 + 32 + 1, 5 + 16)).toBe(232)
  })

  it('draws row labels, column labels and a title as text pixels', () => {
    const plain = renderSheet([[a], [b]], { scale: 2 })
    const labelled = renderSheet([[a], [b]], { scale: 2, rowLabels: ['disc', 'ring'], columnLabels: ['s1'], title: 'Test' })
    const labelWidth = measureText('ring').width + 4 + 2
    expect(labelled.width).toBe(plain.width + labelWidth)
    expect(labelled.height).toBeGreaterThan(plain.height)
    // label column of the first row has exactly the ink of "disc" in the 5×7 font
    const inkOf = (s: string): number => [...s].reduce((n, ch) => n + glyphRows(ch).reduce((m, r) => m + r.toString(2).split('1').length - 1, 0), 0)
    const top = labelled.height - 8 - 2 * 32 - 4
    expect(darkPixels(labelled, 0, top, labelWidth + 8, top + 32)).toBe(inkOf('disc'))
    expect(darkPixels(labelled, 0, 0, labelled.width, 8 + 7)).toBe(inkOf('Test'))
  })

  it('encodes to a grayscale PNG of the same size, deterministically', () => {
    const opts = { scale: 3, rowLabels: ['a', 'b'] }
    const png = encodeSheetPng([[a, b], [b, a]], opts)
    expect(png[25]).toBe(0) // IHDR colour type: grayscale
    const img = decodePng(png)
    const direct = renderSheet([[a, b], [b, a]], opts)
    expect([img.width, img.height]).toEqual([direct.width, direct.height])
    expect(Buffer.from(img.data).equals(Buffer.from(direct.data))).toBe(true)
    expect(Buffer.from(png).equals(Buffer.from(encodeSheetPng([[a, b], [b, a]], opts)))).toBe(true)
  })

  it('rejects empty grids and cells too small for the bitmaps', () => {
    expect(() => renderSheet([])).toThrow(LatentypeError)
    expect(() => renderSheet([[a]], { cellSize: 8 })).toThrow(/cellSize/)
    expect(() => renderSheet([[a]], { scale: 0 })).toThrow(/scale/)
    expect(() => renderSheet([[createBitmap(2, 2), { width: 2, height: 2, data: new Float32Array(1) }]])).toThrow(/malformed/)
  })
})

describe('font5x7 and drawText', () => {
  it('has 95 distinct printable glyphs and falls back to ? for others', () => {
    const seen = new Set<string>()
    for (let c = 33; c < 127; c++) {
      const rows = glyphRows(String.fromCharCode(c))
      expect(rows.some((r) => r !== 0)).toBe(true)
      expect(rows.every((r) => r < 32)).toBe(true)
      seen.add(rows.join(','))
    }
    expect(seen.size).toBe(94)
    expect(glyphRows('é')).toEqual(glyphRows('?'))
    expect(glyphRows(' ').every((r) => r === 0)).toBe(true)
  })

  it('draws "L" pixel for pixel at scale 2', () => {
    const img = createRgbaImage(30, 20, [255, 255, 255, 255])
    drawText(img, 'LL', 1, 2, { scale: 2 })
    // L: left column of 7 rows plus a bottom row of 5 → (7 + 4) font pixels × 4 output pixels, twice
    expect(darkPixels(img, 0, 0, 30, 20)).toBe(2 * 11 * 4)
    expect(gray(img, 1, 2)).toBe(0)
    expect(gray(img, 1 + 2 * FONT_ADVANCE, 2)).toBe(0)
    expect(gray(img, 3, 2)).toBe(255)
    expect(encodePng(img).length).toBeGreaterThan(0)
  })
})
