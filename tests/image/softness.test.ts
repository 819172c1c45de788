/** Edge softness: grey pixels per unit of outline, the same for filled and outlined crisp shapes, higher when blurred. */
import { describe, expect, it } from 'vitest'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { edgeSoftness } from '../../sdk/image/softness.js'

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
