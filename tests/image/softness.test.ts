/**
 * Edge softness: grey pixels per unit of outline, the same for filled and outlined crisp shapes, higher when blurred.
 * Specks: ink islands and pinholes of 2–8 px; the cleaner of two draws has fewer, then the lower softness.
 */
import { describe, expect, it } from 'vitest'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { cleanerDraw, edgeSoftness, speckCount } from '../../sdk/image/softness.js'

/** Coverage of a disc (or a ring with `inner`) of radius r at the centre of 64², anti-aliased by distance. */
function shape(r: number, inner = 0, blur = 0.5): Bitmap {
  const b = createBitmap(64, 64)
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) {
    const d = Math.hypot(x + 0.5 - 32, y + 0.5 - 32)
    const outer = Math.min(1, Math.max(0, (r - d) / (2 * blur) + 0.5))
    const hole = inner > 0 ? Math.min(1, Math.max(0, (inner - d) / (2 * blur) + 0.5)) : 0
    b.data[y * 64 + x] = outer - hole
  }
  return b
}

describe('edgeSoftness', () => {
  it('about one grey pixel per unit of outline for crisp shapes, filled or outlined; more when blurred', () => {
    const filled = edgeSoftness(shape(20))
    const outlined = edgeSoftness(shape(20, 16))
    expect(filled).toBeGreaterThan(0.3)
    expect(filled).toBeLessThan(1.2)
    expect(Math.abs(outlined - filled)).toBeLessThan(0.25)
    expect(edgeSoftness(shape(20, 0, 2))).toBeGreaterThan(2 * filled)
    expect(edgeSoftness(createBitmap(64, 64))).toBe(0)
  })
})

describe('specks and the cleaner draw', () => {
  const withSpecks = (b: Bitmap, islands: [number, number, number][], pinholes: [number, number, number][]): Bitmap => {
    const out = { ...b, data: b.data.slice() }
    for (const [x, y, n] of islands) for (let k = 0; k < n; k++) out.data[y * 64 + x + k] = 1
    for (const [x, y, n] of pinholes) for (let k = 0; k < n; k++) out.data[y * 64 + x + k] = 0
    return out
  }
  const ring = shape(20, 12)

  it('counts ink islands and pinholes of 2–8 px, not single pixels nor the shape itself', () => {
    expect(speckCount(ring)).toBe(0)
    expect(speckCount(shape(20))).toBe(0)
    // a 3-px island in the paper, a 1-px island (the tracer drops it), a 2-px pinhole in the ring's ink, a 9-px island
    expect(speckCount(withSpecks(ring, [[2, 2, 3], [60, 2, 1], [2, 60, 9]], [[32, 14, 2]]))).toBe(2)
  })

  it('keeps the draw with fewer specks, then the crisper one', () => {
    const specked = withSpecks(ring, [[2, 2, 3]], [])
    expect(cleanerDraw(specked, ring)).toBe(true)
    expect(cleanerDraw(ring, specked)).toBe(false)
    // no specks either side: the crisper wins, even if the blurred one would have fewer
    expect(cleanerDraw(shape(20, 12, 2), ring)).toBe(true)
    expect(cleanerDraw(ring, shape(20, 12, 2))).toBe(false)
  })
})
