/**
 * The pixel likelihood p(x|z,c) of a model, as graph nodes: Bernoulli (binary cross-entropy with logits), the
 * continuous Bernoulli (Loaiza-Ganem & Cunningham 2019), or a Laplace density on a signed distance field, chosen by
 * `spec.likelihood`. Training, evaluation and the model file's refinement graph all read it from here, and
 * {@link outputImage} turns the decoder's raw output into the coverage image every model file returns.
 */
import type { Graph, Value } from '../graph/graph.js'
import type { CvaeSpec } from './spec.js'

/**
 * Distance-field models: the decoder's output is the signed distance to the contour in pixels (positive inside),
 * the target is the field of the training image clamped to ±FIELD_CLAMP px (sdk/image/field.ts), and
 * p(t|f) = Laplace(t; f, FIELD_SCALE) per pixel — its maximum is the median shape, not the mean of shapes — or,
 * with `spec.fieldDensity: 'gaussian'`, Normal(t; f, FIELD_SCALE): the mean of the fields.
 */
export const FIELD_CLAMP = 4
export const FIELD_SCALE = 0.5

/** True when the decoder's target is a distance field rather than the coverage image itself. */
export const isFieldModel = (spec: Pick<CvaeSpec, 'likelihood'>): boolean => spec.likelihood === 'distance-field'

/**
 * Coverage in 0..1 from the decoder's raw output: σ(logits), or for a distance field the box-filtered edge
 * clamp(f + ½, 0, 1) — the coverage an anti-aliased renderer gives a straight contour, whose ½ level is f's zero set.
 */
export function outputImage(g: Graph, spec: CvaeSpec, raw: Value, name?: string): Value {
  if (!isFieldModel(spec)) return g.op('Sigmoid', [raw], {}, name)
  return g.op('Min', [g.op('Max', [g.op('Add', [raw, g.scalar(0.5, 'half')]), g.scalar(0, 'zero')]), g.scalar(1, 'one')], {}, name)
}

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
 * −log p(t|f) per pixel of the distance-field likelihood: Laplace |f − t|/b + log 2b (or, with `gaussian`,
 * (f − t)²/2b² + log b√2π), except that a target at the clamp (deep inside or far outside) only asks f to reach
 * the clamp — beyond it on the same side costs nothing.
 */
function fieldNll(g: Graph, f: Value, t: Value, gaussian: boolean): Value {
  return g.scope('field', () => {
    const d = g.op('Sub', [f, t])
    const atTop = g.op('Greater', [t, g.scalar(FIELD_CLAMP - 1e-3, 'top')])
    const atBottom = g.op('Less', [t, g.scalar(-FIELD_CLAMP + 1e-3, 'bottom')])
    const zero = g.scalar(0, 'zero')
    const e = g.op('Where', [atTop, g.op('Min', [d, zero]), g.op('Where', [atBottom, g.op('Max', [d, zero]), d])])
    if (gaussian) return g.op('Add', [g.op('Mul', [g.op('Mul', [e, e]), g.scalar(1 / (2 * FIELD_SCALE * FIELD_SCALE), 'inv_2var')]), g.scalar(Math.log(FIELD_SCALE * Math.sqrt(2 * Math.PI)), 'log_norm')])
    return g.op('Add', [g.op('Mul', [g.op('Abs', [e]), g.scalar(1 / FIELD_SCALE, 'inv_scale')]), g.scalar(Math.log(2 * FIELD_SCALE), 'log_2b')])
  })
}

/**
 * −log p(x|l) per pixel for targets x and decoder outputs l (same shape). Bernoulli (x in [0, 1], l logits):
 * softplus(l) − x·l = −[x log σ(l) + (1−x) log(1−σ(l))]; the continuous Bernoulli subtracts log C(λ); a
 * distance-field model's x is the clamped field (sdk/image/field.ts, ±FIELD_CLAMP) and l the predicted field.
 */
export function pixelNll(g: Graph, spec: CvaeSpec, logits: Value, x: Value): Value {
  if (isFieldModel(spec)) return fieldNll(g, logits, x, spec.fieldDensity === 'gaussian')
  const bce = g.op('Sub', [softplus(g, logits), g.op('Mul', [x, logits])])
  return spec.likelihood === 'continuous-bernoulli' ? g.op('Sub', [bce, logCBNormalizer(g, logits)], {}, 'cb_nll') : bce
}
