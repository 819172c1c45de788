/** Mask IoU and near-copy search on constructed masks, where the answers are known exactly. */
import { describe, expect, it } from 'vitest'
import { maskIou, nearestIou, packMasks, packedIou, popcount32 } from '../../sdk/eval/masks.js'
import { meanPairwiseDistance, novelty } from '../../sdk/eval/diversity.js'

const S = 8
/** An S×S coverage image with ink in the rectangle [x0,x1)×[y0,y1). */
function rect(x0: number, y0: number, x1: number, y1: number, ink = 1): Float32Array {
  const a = new Float32Array(S * S)
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) a[y * S + x] = ink
  return a
}

describe('mask IoU', () => {
  it('is exact on overlapping rectangles', () => {
    // 4×4 and 4×4 shifted by 2 columns: intersection 2×4 = 8, union 24
    expect(maskIou(rect(0, 0, 4, 4), rect(2, 0, 6, 4))).toBe(8 / 24)
    expect(maskIou(rect(0, 0, 4, 4), rect(4, 4, 8, 8))).toBe(0)
    expect(maskIou(rect(1, 1, 5, 5), rect(1, 1, 5, 5))).toBe(1)
    expect(maskIou(new Float32Array(S * S), new Float32Array(S * S))).toBe(1)
  })

  it('thresholds coverage at 0.5', () => {
    expect(maskIou(rect(0, 0, 4, 4, 0.49), rect(0, 0, 4, 4))).toBe(0)
    expect(maskIou(rect(0, 0, 4, 4, 0.5), rect(0, 0, 4, 4))).toBe(1)
  })

  it('packed masks agree with the direct computation, including across word boundaries', () => {
    const imgs = [rect(0, 0, 4, 4), rect(2, 0, 6, 4), rect(3, 2, 8, 7), rect(0, 5, 8, 8)]
    const all = new Float32Array(imgs.length * S * S)
    imgs.forEach((m, i) => all.set(m, i * S * S))
    const p = packMasks(all, imgs.length, S * S)
    for (let i = 0; i < imgs.length; i++) for (let j = 0; j < imgs.length; j++) expect(packedIou(p, i, p, j)).toBeCloseTo(maskIou(imgs[i]!, imgs[j]!), 12)
    const bytes = Uint8Array.from(all, (v) => v * 255)
    expect(Array.from(packMasks(bytes, imgs.length, S * S).bits)).toEqual(Array.from(p.bits))
    expect(popcount32(0xffffffff)).toBe(32)
    expect(popcount32(0x80000001)).toBe(2)
  })

  it('finds the nearest reference and counts near-copies per class', () => {
    const gen = new Float32Array(2 * S * S)
    gen.set(rect(0, 0, 4, 4), 0) // a copy of train item 0 (class 0)
    gen.set(rect(0, 0, 8, 8), S * S) // a full square: nearest class-1 item is half of it
    const train = new Uint8Array(3 * S * S)
    train.set(Uint8Array.from(rect(0, 0, 4, 4), (v) => v * 255), 0)
    train.set(Uint8Array.from(rect(0, 0, 8, 8), (v) => v * 255), S * S) // class 0: must not count for class 1
    train.set(Uint8Array.from(rect(0, 0, 8, 4), (v) => v * 255), 2 * S * S)
    const r = novelty(gen, [0, 1], train, [0, 0, 1], S * S)
    expect(r.nearCopyShare).toBe(0.5)
    expect(r.meanNearestIou).toBeCloseTo((1 + 0.5) / 2, 12)
    const q = packMasks(gen, 2, S * S)
    expect(Array.from(nearestIou(q, packMasks(train, 3, S * S)))).toEqual([1, 1])
  })
})

describe('mean pairwise distance', () => {
  it('is the RMS pixel difference averaged over pairs', () => {
    const a = new Float32Array(4 * 3)
    a.set([1, 1, 1, 1], 4) // image 1 all ink; images 0 and 2 paper → pairs (0,1) 1, (0,2) 0, (1,2) 1
    expect(meanPairwiseDistance(a, 3, 4)).toBeCloseTo(2 / 3, 6)
    expect(meanPairwiseDistance(Uint8Array.from([0, 0, 255, 0]), 2, 2)).toBeCloseTo(Math.SQRT1_2, 6)
    expect(meanPairwiseDistance(a, 1, 4)).toBe(0)
  })
})
