import { describe, expect, it } from 'vitest'
import { createBitmap } from '../../sdk/image/bitmap.js'
import { fitToBox, inkBox, resampleArea } from '../../sdk/image/fit.js'
import { LatentypeError } from '../../sdk/errors.js'

function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number) {
  const b = createBitmap(w, h)
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) b.data[y * w + x] = 1
  return b
}

describe('fitToBox', () => {
  it('crops to the ink box and fits its longer side into size − 2·margin, centred', () => {
    const out = fitToBox(rect(200, 100, 10, 20, 110, 70), 64, 4) // 100×50 ink
    expect(inkBox(out, 0.5)).toEqual({ left: 4, top: 18, right: 60, bottom: 46 })
  })

  it('keeps total ink when downscaling (area averaging)', () => {
    const src = rect(256, 256, 0, 0, 256, 256)
    const out = resampleArea(src, 0, 0, 256, 256, 64, 64)
    expect(out.data.every((v) => Math.abs(v - 1) < 1e-5)).toBe(true)
    const stripes = createBitmap(256, 256)
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x += 4) stripes.data[y * 256 + x] = 1
    const s = resampleArea(stripes, 0, 0, 256, 256, 64, 64)
    expect(s.data.every((v) => Math.abs(v - 0.25) < 1e-5)).toBe(true)
  })

  it('returns a blank bitmap for a blank input and rejects a bad margin', () => {
    expect(fitToBox(createBitmap(10, 10), 64).data.every((v) => v === 0)).toBe(true)
    expect(() => fitToBox(createBitmap(10, 10), 64, 32)).toThrow(LatentypeError)
  })
})
