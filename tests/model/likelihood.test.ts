/** The Bernoulli pixel likelihood's softplus, built from vectorised ops: its values far out and at 0, and its gradient. */
import { describe, expect, it } from 'vitest'
import { Graph } from '../../sdk/graph/graph.js'
import { softplus } from '../../sdk/model/likelihood.js'
import { GraphRunner, graphModel } from '../../sdk/train/session.js'
import { gradCheck } from '../helpers/gradcheck.js'

const logits = [-90, -30, -17, -5, -1, -1e-4, 0, 1e-4, 0.7, 5, 17, 30, 90]
const reference = (l: number): number => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)))

describe('softplus', () => {
  it('equals log(1 + eˡ) to float precision from −90 to 90 (no overflow, no cancellation at large |l|)', async () => {
    const g = new Graph()
    const l = g.input('l', [logits.length])
    g.output(softplus(g, l), 'y')
    const runner = await GraphRunner.open(graphModel(g, 'softplus'))
    const y = (await runner.run({ l: { data: Float32Array.from(logits), dims: [logits.length] } }, ['y'])).y!
    await runner.release()
    logits.forEach((v, k) => expect(Math.abs(y[k]! - reference(v)), `logit ${v}`).toBeLessThan(Math.max(6e-8, 2e-7 * reference(v))))
  })

  it('has the gradient σ(l) (finite differences)', async () => {
    const r = await gradCheck((g, [l]) => softplus(g, l!), [{ shape: [logits.length], data: Float32Array.from(logits.map((v) => v / 10)) }], { eps: 1e-3 })
    expect(r.maxRelError, r.details.join('\n')).toBeLessThan(5e-3)
  })
})
