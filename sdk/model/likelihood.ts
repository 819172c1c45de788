/**
 * The pixel likelihood p(x|z,c) of a model, as graph nodes: Bernoulli (binary cross-entropy with logits) or the
 * continuous Bernoulli (Loaiza-Ganem & Cunningham 2019), chosen by `spec.likelihood`. Training, evaluation and the
 * model file's refinement graph all read it from here.
 */
import type { Graph, Value } from '../graph/graph.js'
import type { CvaeSpec } from './spec.js'

/** Below this |logit| the normaliser uses its series (the closed form is 0/0 at 0). */
export const CB_SERIES_BELOW = 1e-2

/**
 * log C(λ) of the continuous Bernoulli, p(x|λ) = C(λ)·λˣ(1−λ)¹⁻ˣ on [0,1], from the logit l = logit(λ):
 * C = 2·atanh(1−2λ)/(1−2λ) = l / tanh(l/2) = l / (2σ(l) − 1), even in l, → 2 at l = 0; series 2 + l²/6 − l⁴/360.
 * The closed form runs on a logit clamped away from 0, so no NaN reaches the gradient through the unused branch.
 */
export function logCBNormalizer(g: Graph, logits: Value): Value {
  return g.scope('cb', () => {
    const small = g.op('Less', [g.op('Abs', [logits]), g.scalar(CB_SERIES_BELOW, 'series_below')])
    const safe = g.op('Where', [small, g.scalar(1, 'one'), logits])
    const closed = g.op('Log', [g.op('Div', [safe, g.op('Sub', [g.op('Mul', [g.op('Sigmoid', [safe]), g.scalar(2, 'two')]), g.scalar(1, 'one_b')])])])
    const l2 = g.op('Mul', [logits, logits])
    // log(2 + l²/6 − l⁴/360) = log 2 + l²/12 − l⁴/1440 + O(l⁶)
    const series = g.op('Add', [g.scalar(Math.LN2, 'ln2'), g.op('Mul', [l2, g.op('Sub', [g.scalar(1 / 12, 'c2'), g.op('Mul', [l2, g.scalar(1 / 1440, 'c4')])])])])
    return g.op('Where', [small, series, closed])
  })
}

/**
 * softplus(l) = relu(l) + log(1 + e^−|l|) as vectorised passes (onnxruntime's Softplus is a scalar loop: 3.3 ms
 * per 128×64² batch in the training step); the gradient is σ(l). Below e^−|l| ≈ 6e-8 the log term rounds to 0,
 * an absolute error under 6e-8 per pixel.
 */
export function softplus(g: Graph, l: Value): Value {
  return g.withGradient([l], () => [g.op('Add', [g.op('Relu', [l]), g.op('Log', [g.op('Add', [g.op('Exp', [g.op('Neg', [g.op('Abs', [l])])]), g.scalar(1, 'one')])])])], ([dy]) => [g.op('Mul', [dy!, g.op('Sigmoid', [l])])])[0]!
}

/**
 * −log p(x|l) per pixel for targets x in [0, 1] and decoder logits l (same shape). Bernoulli:
 * softplus(l) − x·l = −[x log σ(l) + (1−x) log(1−σ(l))]; the continuous Bernoulli subtracts log C(λ).
 */
export function pixelNll(g: Graph, spec: CvaeSpec, logits: Value, x: Value): Value {
  const bce = g.op('Sub', [softplus(g, logits), g.op('Mul', [x, logits])])
  return spec.likelihood === 'continuous-bernoulli' ? g.op('Sub', [bce, logCBNormalizer(g, logits)], {}, 'cb_nll') : bce
}
