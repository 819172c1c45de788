/** The continuous Bernoulli likelihood: its normaliser integrates to 1, and its gradient matches finite differences. */
import { describe, expect, it } from 'vitest'
import { Graph } from '../../sdk/graph/graph.js'
import { CB_SERIES_BELOW, logCBNormalizer } from '../../sdk/train/loss.js'
import { GraphRunner, graphModel } from '../../sdk/train/session.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { gradCheck } from '../helpers/gradcheck.js'

const softplus = (l: number): number => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)))

describe('continuous Bernoulli', () => {
  // either side of the series/closed-form switch, at 0, and far out
  const logits = [-30, -5, -1, -0.02, -CB_SERIES_BELOW * 1.01, -CB_SERIES_BELOW * 0.99, -1e-5, 0, 1e-5, CB_SERIES_BELOW * 0.99, CB_SERIES_BELOW * 1.01, 0.3, 1, 5, 30]

  it('p(x|λ) = C(λ) λˣ (1−λ)¹⁻ˣ integrates to 1 over [0, 1] for every logit (Simpson, 2000 intervals)', async () => {
    const g = new Graph()
    const l = g.input('l', [logits.length])
    g.output(logCBNormalizer(g, l), 'logC')
    const runner = await GraphRunner.open(graphModel(g, 'cb'))
    const logC = (await runner.run({ l: { data: Float32Array.from(logits), dims: [logits.length] } }, ['logC'])).logC!
    await runner.release()
    logits.forEach((lv, k) => {
      const n = 2000
      let s = 0
      for (let i = 0; i <= n; i++) {
        const x = i / n
        const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2
        s += w * Math.exp(logC[k]! + x * lv - softplus(lv)) // log λ = l − softplus(l), log(1−λ) = −softplus(l)
      }
      expect(s / (3 * n), `logit ${lv}`).toBeCloseTo(1, 4)
    })
  })

  it('the normaliser is continuous across the series switch and has its finite-difference gradient', async () => {
    const r = await gradCheck((g, [l]) => logCBNormalizer(g, l!), [{ shape: [logits.length], data: Float32Array.from(logits.map((v) => (Math.abs(v) > 10 ? v / 10 : v))) }], { eps: 1e-3 })
    expect(r.maxRelError, r.details.join('\n')).toBeLessThan(5e-3)
  })

  it('is a spec option, checked by name', () => {
    expect(resolveSpec({ ...resolveSpec('tiny', 2), likelihood: 'continuous-bernoulli' }, 2).likelihood).toBe('continuous-bernoulli')
    expect(() => resolveSpec({ ...resolveSpec('tiny', 2), likelihood: 'gaussian' as never }, 2)).toThrow(/likelihood must be "bernoulli", "continuous-bernoulli" or "distance-field"/)
  })
})
