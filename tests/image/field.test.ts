/** Signed distance fields from coverage: distances match the true shape's, and rendering the field gives the coverage back. */
import { describe, expect, it } from 'vitest'
import { LatentypeError } from '../../sdk/errors.js'
import { coverageToField, coverageToFields } from '../../sdk/image/field.js'
import { rasterize, ring } from './shapes.js'

describe('coverageToField', () => {
  // a disc of radius 20.3 centred off the pixel grid: the true signed distance at (x, y) is 20.3 − |p − c|
  const cx = 32.2
  const cy = 31.7
  const r = 20.3
  const disc = rasterize(64, 64, (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r, 16)
  const field = coverageToField(disc.data, 64, { clamp: 4 })

  it('is the signed distance to the contour in pixels, positive inside: mean error < 0.1 px, worst < 0.25 px', () => {
    let worst = 0
    let sum = 0
    let checked = 0
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        const d = r - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)
        if (Math.abs(d) > 3) continue
        worst = Math.max(worst, Math.abs(field[y * 64 + x]! - d))
        sum += Math.abs(field[y * 64 + x]! - d)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(500)
    expect(sum / checked).toBeLessThan(0.1)
    expect(worst).toBeLessThan(0.25)
  })

  it('clamps far from the contour: +clamp deep inside, −clamp far outside; blank and full bitmaps are constant', () => {
    expect(field[32 * 64 + 32]).toBe(4)
    expect(field[0]).toBe(-4)
    expect(Array.from(new Set(coverageToField(new Float32Array(256), 16, { clamp: 3 })))).toEqual([-3])
    expect(Array.from(new Set(coverageToField(new Uint8Array(256).fill(255), 16, { clamp: 3, ink: 255 })))).toEqual([3])
  })

  it('rendered as an anti-aliased edge, clamp(f + ½, 0, 1), gives the coverage back (a ring: two contours)', () => {
    const bm = rasterize(64, 64, ring, 16)
    const f = coverageToField(bm.data, 64)
    let err = 0
    let n = 0
    for (let i = 0; i < f.length; i++) {
      const c = bm.data[i]!
      if (c <= 0 || c >= 1) continue
      err += Math.abs(Math.min(1, Math.max(0, f[i]! + 0.5)) - c)
      n++
    }
    expect(n).toBeGreaterThan(100)
    expect(err / n).toBeLessThan(0.08)
    // the counter is outside: negative at the centre
    expect(f[32 * 64 + 32]).toBeLessThan(-3.9)
  })

  it('reads uint8 bitmaps with ink = 255 like float ones with ink = 1', () => {
    const u8 = Uint8Array.from(disc.data, (v) => Math.round(v * 255))
    const a = coverageToField(u8, 64, { ink: 255 })
    const b = coverageToField(Float32Array.from(u8, (v) => v / 255), 64)
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
    expect(worst).toBeLessThan(1e-5)
  })

  it('many bitmaps at once match one at a time, also in place; bad options are refused with the fix named', () => {
    const two = Float32Array.of(...disc.data, ...rasterize(64, 64, ring, 4).data)
    const fields = coverageToFields(two, 2, 64)
    expect(Array.from(fields.subarray(0, 4096))).toEqual(Array.from(coverageToField(disc.data, 64)))
    const inPlace = two.slice()
    coverageToFields(inPlace, 2, 64, {}, inPlace)
    expect(Array.from(inPlace)).toEqual(Array.from(fields))
    expect(() => coverageToField(disc.data, 64, { up: 3 })).toThrow(/even whole number ≥ 2.*up: 4/)
    expect(() => coverageToField(disc.data, 64, { clamp: 0 })).toThrow(LatentypeError)
    expect(() => coverageToField(disc.data.subarray(0, 100), 64)).toThrow(/size×size bitmap/)
  })
})
