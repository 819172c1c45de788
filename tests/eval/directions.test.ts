/** Direction fitting recovers a direction planted in synthetic posterior means; latent statistics are exact. */
import { describe, expect, it } from 'vitest'
import { correlation, fitDirection, GLYPH_DIRECTIONS, ICON_DIRECTIONS, solveSpd } from '../../sdk/eval/directions.js'
import { latentStats } from '../../sdk/eval/latent.js'
import { Rng } from '../../sdk/random.js'

describe('semantic direction fit', () => {
  it('recovers a planted unit direction from tagged means (cosine > 0.98) and orients it towards the tag', () => {
    const L = 16
    const n = 2000
    const rng = new Rng(3)
    const planted = rng.normals(L)
    const norm = Math.hypot(...planted)
    const u = Array.from(planted, (v) => v / norm)
    const mu = rng.normals(n * L)
    const y = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      y[i] = i % 5 === 0 ? NaN : i % 2 // untagged items take no part
      if (Number.isNaN(y[i]!)) continue
      for (let d = 0; d < L; d++) mu[i * L + d] = mu[i * L + d]! + 1.5 * y[i]! * u[d]!
    }
    const fit = fitDirection(mu, L, y, { name: 'weight', label: 'Weight' })!
    const cos = fit.vector.reduce((a, v, d) => a + v * u[d]!, 0)
    expect(cos).toBeGreaterThan(0.98)
    expect(Math.hypot(...fit.vector)).toBeCloseTo(1, 9)
    expect(fit.count).toBe(n - n / 5)
    expect(fit.fitCorrelation).toBeGreaterThan(0.5)
    expect(fit.range[0]).toBeLessThan(fit.range[1])
  })

  it('gives no direction when one side of the tag is (nearly) empty', () => {
    const mu = new Rng(1).normals(50 * 4)
    const y = new Float64Array(50).fill(1)
    y[0] = 0
    expect(fitDirection(mu, 4, y, { name: 'italic', label: 'Italic' })).toBeUndefined()
  })

  it('reads targets from dataset tags', () => {
    const w = GLYPH_DIRECTIONS.find((d) => d.name === 'weight')!
    expect(w.target(['sans', 'weight-700', 'upright'])).toBe(7)
    expect(w.target(['sans'])).toBeUndefined()
    const f = ICON_DIRECTIONS.find((d) => d.name === 'filled')!
    expect([f.target(['filled']), f.target(['outline']), f.target(['duotone'])]).toEqual([1, 0, undefined])
    const s = ICON_DIRECTIONS.find((d) => d.name === 'weight')!
    expect([s.target(['thin']), s.target(['outline', 'light']), s.target(['outline']), s.target(['bold']), s.target(['filled', 'bold'])]).toEqual([0, 1, 2, 3, undefined])
  })

  it('solves SPD systems and measures correlation', () => {
    const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 5]), 2)
    expect(x[0]).toBeCloseTo(-0.5, 12)
    expect(x[1]).toBeCloseTo(2, 12)
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12)
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12)
  })
})

describe('latent statistics', () => {
  it('per-dimension KL and active units match hand computation', () => {
    // dim 0: μ = ±1, σ² = 1 → KL ½, Var μ = 1 (active); dim 1: μ = 0, log σ² = 0 → KL 0 (inactive)
    const mu = Float32Array.from([1, 0, -1, 0])
    const logvar = new Float32Array(4)
    const s = latentStats(mu, logvar, 2, 2)
    expect(s.klPerDim[0]).toBeCloseTo(0.5, 12)
    expect(s.klPerDim[1]).toBe(0)
    expect(s.meanVariance[0]).toBeCloseTo(1, 12)
    expect(s.activeDims).toEqual([0])
  })
})
