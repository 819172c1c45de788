/** Improved precision and recall (k = 3) on point sets with known answers. */
import { describe, expect, it } from 'vitest'
import { precisionRecall } from '../../sdk/eval/precision-recall.js'
import { Rng } from '../../sdk/random.js'

const cloud = (n: number, d: number, centre: number, seed: number, spread = 1): Float32Array => {
  const v = new Rng(seed).normals(n * d, spread)
  for (let i = 0; i < v.length; i++) v[i]! += centre
  return v
}

describe('precision and recall', () => {
  it('the same set: precision and recall 1', () => {
    const a = cloud(200, 8, 0, 1)
    expect(precisionRecall(a, 200, a, 200, 8)).toMatchObject({ precision: 1, recall: 1, k: 3 })
  })

  it('disjoint clusters: 0 and 0', () => {
    const r = precisionRecall(cloud(200, 8, 0, 1), 200, cloud(200, 8, 100, 2), 200, 8)
    expect([r.precision, r.recall]).toEqual([0, 0])
  })

  it('samples collapsed onto one of two real modes: realistic (precision ≈ 1), half the data covered (recall ≈ 0.5)', () => {
    const real = new Float32Array(400 * 4)
    real.set(cloud(200, 4, 0, 1))
    real.set(cloud(200, 4, 50, 2), 200 * 4)
    const r = precisionRecall(real, 400, cloud(400, 4, 0, 3), 400, 4)
    expect(r.precision).toBeGreaterThan(0.9)
    expect(r.recall).toBeGreaterThan(0.4)
    expect(r.recall).toBeLessThan(0.55)
  })

  it('samples spread far wider than the data: recall high, precision low', () => {
    const r = precisionRecall(cloud(300, 4, 0, 1), 300, cloud(300, 4, 0, 2, 6), 300, 4)
    expect(r.recall).toBeGreaterThan(0.8)
    expect(r.precision).toBeLessThan(0.3)
  })

  it('is undefined (NaN) with k or fewer points in a set', () => {
    expect(precisionRecall(cloud(3, 2, 0, 1), 3, cloud(10, 2, 0, 2), 10, 2).precision).toBeNaN()
  })
})
