/** Framing a drawing brought in from elsewhere the way the training images were framed. */
import { describe, expect, it } from 'vitest'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { fitToBox, inkBox } from '../../sdk/image/fit.js'
import { frameDrawing, measureFraming } from '../../sdk/image/frame.js'

/** A solid w×h block at (x, y) on a W×H canvas. */
function block(W: number, H: number, x: number, y: number, w: number, h: number): Bitmap {
  const b = createBitmap(W, H)
  for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) b.data[j * W + i] = 1
  return b
}

describe('frameDrawing', () => {
  // class 0 ("A"): ink from row 0.125·S to 0.75·S; class 1 ("o"): 0.375·S to 0.75·S (x-height, on the baseline)
  const framing = { top: [0.125, 0.375], bottom: [0.75, 0.75] }

  it('scales the ink to its class height and places it where the class sits, centred horizontally', () => {
    const exported = block(300, 200, 40, 30, 120, 120) // an export of any size, ink anywhere
    const asO = inkBox(frameDrawing(exported, 1, 64, framing))!
    expect([asO.top, asO.bottom]).toEqual([24, 48])
    expect((asO.left + asO.right) / 2).toBeCloseTo(32, 0)
    const asA = inkBox(frameDrawing(exported, 0, 64, framing))!
    expect([asA.top, asA.bottom]).toEqual([8, 48])
  })

  it('without framing (icon models) it is fitToBox; blank stays blank', () => {
    const exported = block(100, 100, 10, 20, 50, 30)
    expect(Array.from(frameDrawing(exported, 1, 64).data)).toEqual(Array.from(fitToBox(exported, 64).data))
    expect(inkBox(frameDrawing(createBitmap(50, 50), 0, 64, framing))).toBeNull()
  })

  it('measureFraming: the median ink top and bottom per class of the training images', () => {
    const S = 16
    const imgs = [block(S, S, 2, 2, 4, 10), block(S, S, 3, 4, 4, 8), block(S, S, 5, 3, 4, 9), block(S, S, 6, 8, 4, 4)]
    const data = new Uint8Array(4 * S * S)
    imgs.forEach((b, i) => data.set(b.data.map((v) => v * 255), i * S * S))
    const f = measureFraming(data, [0, 0, 0, 1], 4, S, 2)
    expect(f.top).toEqual([3 / 16, 8 / 16])
    expect(f.bottom).toEqual([12 / 16, 12 / 16])
  })
})
