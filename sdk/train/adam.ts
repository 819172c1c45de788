/**
 * Adam (decoupled weight decay, global-norm gradient clipping) as graph nodes. Weights and the moment
 * estimates are graph inputs; their next values are graph outputs. The step-dependent bias correction comes in
 * as scalars computed by {@link adamScalars}, so one graph serves every step.
 */
import { attr, type Graph, type Value } from '../graph/graph.js'

export interface AdamOptions {
  beta1?: number
  beta2?: number
  epsilon?: number
  /** Decoupled weight decay (AdamW), per unit of learning rate; 0 = off. */
  weightDecay?: number
  /** Clip gradients to this global L2 norm; 0 = off. */
  clipNorm?: number
}

export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, clipNorm: 0 }

/** Names of the scalar inputs the update reads each step. */
export const ADAM_INPUTS = { stepSize: 'adam.step_size', epsHat: 'adam.eps_hat', decay: 'adam.decay' } as const

export interface AdamUpdate {
  /** Per parameter name: next weight, first and second moment. */
  next: Map<string, { param: Value; m: Value; v: Value }>
  gradNorm: Value
}

/**
 * Emits the update for each parameter: with g clipped to the global norm, m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², w ← w·decay − stepSize · m / (√v + ε̂), where stepSize = lr·√(1−β₂ᵗ)/(1−β₁ᵗ),
 * ε̂ = ε·√(1−β₂ᵗ) (Kingma & Ba's efficient form) and decay = 1 − lr·weightDecay.
 */
export function adamUpdate(g: Graph, params: { value: Value; m: Value; v: Value }[], grads: Map<string, Value>, o: AdamOptions = {}): AdamUpdate {
  const { beta1, beta2, clipNorm } = { ...ADAM_DEFAULTS, ...o }
  return g.scope('adam', () => {
    const stepSize = g.input(ADAM_INPUTS.stepSize, [])
    const epsHat = g.input(ADAM_INPUTS.epsHat, [])
    const decay = g.input(ADAM_INPUTS.decay, [])
    const sq = params.map((p) => {
      const d = grads.get(p.value.name)!
      return g.op('ReduceSum', [g.op('Mul', [d, d])], { keepdims: attr.i(0) })
    })
    const total = sq.reduce((a, b) => g.op('Add', [a, b]))
    const gradNorm = g.op('Sqrt', [total], {}, 'grad_norm')
    // scale = min(1, clip / (‖g‖ + 1e-6))
    const scale = clipNorm > 0 ? g.op('Min', [g.scalar(1, 'one'), g.op('Div', [g.scalar(clipNorm, 'clip'), g.op('Add', [gradNorm, g.scalar(1e-6, 'tiny')])])]) : undefined
    const b1 = g.scalar(beta1, 'beta1')
    const c1 = g.scalar(1 - beta1, 'one_minus_beta1')
    const b2 = g.scalar(beta2, 'beta2')
    const c2 = g.scalar(1 - beta2, 'one_minus_beta2')
    const next = new Map<string, { param: Value; m: Value; v: Value }>()
    for (const p of params) {
      let d = grads.get(p.value.name)!
      if (scale) d = g.op('Mul', [d, scale])
      const m = g.op('Add', [g.op('Mul', [p.m, b1]), g.op('Mul', [d, c1])])
      const v = g.op('Add', [g.op('Mul', [p.v, b2]), g.op('Mul', [g.op('Mul', [d, d]), c2])])
      const upd = g.op('Div', [m, g.op('Add', [g.op('Sqrt', [v]), epsHat])])
      const param = g.op('Sub', [g.op('Mul', [p.value, decay]), g.op('Mul', [upd, stepSize])])
      next.set(p.value.name, { param, m, v })
    }
    return { next, gradNorm }
  })
}

/** The scalar inputs for step t (1-based) at learning rate lr. */
export function adamScalars(t: number, lr: number, o: AdamOptions = {}): Record<(typeof ADAM_INPUTS)[keyof typeof ADAM_INPUTS], number> {
  const { beta1, beta2, epsilon, weightDecay } = { ...ADAM_DEFAULTS, ...o }
  const c2 = Math.sqrt(1 - beta2 ** t)
  return { [ADAM_INPUTS.stepSize]: (lr * c2) / (1 - beta1 ** t), [ADAM_INPUTS.epsHat]: epsilon * c2, [ADAM_INPUTS.decay]: 1 - lr * weightDecay } as Record<(typeof ADAM_INPUTS)[keyof typeof ADAM_INPUTS], number>
}
