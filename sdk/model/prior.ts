/**
 * The fitted prior: a class-conditional Gaussian N(m_c, Σ) fitted after training to where the encoder puts the
 * data (the aggregate posterior of each class, with one covariance Σ = C·Cᵀ pooled over classes), instead of the
 * N(0, I) the model was trained against, which the posterior never fills.
 *
 * It is baked into the model file as a change of coordinates, so every consumer keeps working in N(0, I) units:
 * the public latent u relates to the decoder's z by z = m_c + C·u. The decoder part computes z from u; the encoder
 * part returns the posterior in u units: μ_u = C⁻¹(μ − m_c) and, per dimension, the diagonal of C⁻¹·diag(σ²)·C⁻ᵀ.
 * So `sample` (u ~ N(0, t²I)), sliders, interpolation and transfer need no knowledge of the prior, and a file
 * without one is the identity (m_c = 0, C = I).
 */
import type { Graph, Value } from '../graph/graph.js'
import { float16Value } from '../onnx/fp16.js'
import { DataType, type ModelProto } from '../onnx/model-proto.js'
import type { Init } from '../graph/layers.js'
import { LatentypeError } from '../errors.js'

/** Weight names of the prior inside a model file. */
export const PRIOR_WEIGHTS = { mean: 'prior/mean', cholT: 'prior/chol_t', invT: 'prior/inv_t' } as const

/** The prior's weights in a graph (once per graph: the decoder and encoder parts share them). */
export interface PriorParams {
  mean: Value
  cholT: Value
  invT: Value
}

export function priorParams(g: Graph, classes: number, latent: number, init: Init): PriorParams {
  const param = (name: string, shape: number[]): Value => g.param(name, shape, (n) => init(n, shape, shape[0]!, 'weight'))
  const sq = [latent, latent]
  return { mean: param(PRIOR_WEIGHTS.mean, [classes, latent]), cholT: param(PRIOR_WEIGHTS.cholT, sq), invT: param(PRIOR_WEIGHTS.invT, sq) }
}

/** z = m_c + u·Cᵀ, rows of [N, L]. */
export function latentFromPrior(g: Graph, p: PriorParams, u: Value, onehot: Value): Value {
  const mean = g.op('MatMul', [onehot, p.mean], {}, 'prior/class_mean')
  return g.op('Add', [mean, g.op('MatMul', [u, p.cholT])], {}, 'prior/z')
}

/** The posterior (μ, log σ²) in prior units: μ_u = (μ − m_c)·C⁻ᵀ, σ_u² = σ²·(C⁻ᵀ∘C⁻ᵀ), the square taken in the graph. */
export function posteriorInPrior(g: Graph, p: PriorParams, mu: Value, logvar: Value, onehot: Value): { mu: Value; logvar: Value } {
  const mean = g.op('MatMul', [onehot, p.mean], {}, 'prior/enc_class_mean')
  const muU = g.op('MatMul', [g.op('Sub', [mu, mean]), p.invT], {}, 'prior/mu_u')
  const varU = g.op('MatMul', [g.op('Exp', [logvar]), g.op('Mul', [p.invT, p.invT])], {}, 'prior/var_u')
  return { mu: muU, logvar: g.op('Log', [varU], {}, 'prior/logvar_u') }
}

export interface FittedPrior {
  /** [K·L] class means of the posterior means. */
  mean: Float32Array
  /** [L·L] row-major Cᵀ and C⁻ᵀ (the weights of {@link PRIOR_WEIGHTS}). */
  cholT: Float32Array
  invT: Float32Array
  /** Items per class the fit saw. */
  counts: number[]
}

/**
 * Fits N(m_c, Σ) to posteriors of `n` items: m_c = mean of μ over class c; Σ = pooled within-class covariance of μ
 * plus the mean posterior variance on the diagonal (the aggregate posterior's covariance, moment-matched).
 * A class with no items gets the mean of all items.
 */
export function fitPrior(mu: Float32Array, logvar: Float32Array, classIds: ArrayLike<number>, n: number, classes: number, latent: number): FittedPrior {
  const L = latent
  const sums = new Float64Array(classes * L)
  const counts = new Array<number>(classes).fill(0)
  const all = new Float64Array(L)
  for (let i = 0; i < n; i++) {
    const c = classIds[i]!
    counts[c]!++
    for (let d = 0; d < L; d++) {
      sums[c * L + d]! += mu[i * L + d]!
      all[d]! += mu[i * L + d]!
    }
  }
  if (n === 0) throw new LatentypeError('BAD_ARGUMENT', 'fitting a prior needs at least one encoded item')
  const mean = new Float64Array(classes * L)
  for (let c = 0; c < classes; c++) for (let d = 0; d < L; d++) mean[c * L + d] = counts[c] ? sums[c * L + d]! / counts[c]! : all[d]! / n
  const cov = new Float64Array(L * L)
  const r = new Float64Array(L)
  for (let i = 0; i < n; i++) {
    const c = classIds[i]!
    for (let d = 0; d < L; d++) r[d] = mu[i * L + d]! - mean[c * L + d]!
    for (let a = 0; a < L; a++) {
      const ra = r[a]!
      for (let b = 0; b <= a; b++) cov[a * L + b]! += ra * r[b]!
    }
    for (let d = 0; d < L; d++) cov[d * L + d]! += Math.exp(logvar[i * L + d]!)
  }
  for (let a = 0; a < L; a++) for (let b = 0; b <= a; b++) {
    cov[a * L + b]! /= n
    cov[b * L + a] = cov[a * L + b]!
  }
  const chol = cholesky(cov, L)
  const inv = invertLower(chol, L)
  const cholT = new Float32Array(L * L)
  const invT = new Float32Array(L * L)
  for (let a = 0; a < L; a++) for (let b = 0; b < L; b++) {
    cholT[a * L + b] = chol[b * L + a]!
    invT[a * L + b] = inv[b * L + a]!
  }
  return { mean: Float32Array.from(mean), cholT, invT, counts }
}

/** Lower-triangular C with C·Cᵀ = A (A symmetric positive definite, row-major L×L). */
export function cholesky(a: Float64Array, L: number): Float64Array {
  const c = new Float64Array(L * L)
  for (let i = 0; i < L; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * L + j]!
      for (let k = 0; k < j; k++) s -= c[i * L + k]! * c[j * L + k]!
      if (i === j) {
        if (!(s > 0)) throw new LatentypeError('BAD_ARGUMENT', `the posterior covariance is not positive definite at dimension ${i} — encode more items before fitting the prior`)
        c[i * L + i] = Math.sqrt(s)
      } else c[i * L + j] = s / c[j * L + j]!
    }
  }
  return c
}

/** Inverse of a lower-triangular matrix (row-major), itself lower-triangular. */
export function invertLower(c: Float64Array, L: number): Float64Array {
  const inv = new Float64Array(L * L)
  for (let j = 0; j < L; j++) {
    inv[j * L + j] = 1 / c[j * L + j]!
    for (let i = j + 1; i < L; i++) {
      let s = 0
      for (let k = j; k < i; k++) s -= c[i * L + k]! * inv[k * L + j]!
      inv[i * L + j] = s / c[i * L + i]!
    }
  }
  return inv
}

/** The fitted prior as weights by name (what `fromWeights` and `buildModelFile` take). */
export function priorWeights(p: FittedPrior): Map<string, Float32Array> {
  return new Map([
    [PRIOR_WEIGHTS.mean, p.mean],
    [PRIOR_WEIGHTS.cholT, p.cholT],
    [PRIOR_WEIGHTS.invT, p.invT],
  ])
}

/**
 * The fitted prior stored in a parsed model file (float32 or float16 storage), or undefined for a file without
 * one. For latent arithmetic between the public units and the decoder's z (e.g. transfer).
 */
export function readPrior(model: ModelProto, classes: number, latent: number): Omit<FittedPrior, 'counts'> | undefined {
  const tensors = new Map<string, Float32Array>()
  for (const t of model.graph.initializers) {
    const name = t.name.endsWith('__fp16') ? t.name.slice(0, -6) : t.name
    if (!name.startsWith('prior/')) continue
    if (t.dataType === DataType.FLOAT) tensors.set(name, new Float32Array(t.rawData.slice().buffer))
    else if (t.dataType === DataType.FLOAT16) tensors.set(name, Float32Array.from(new Uint16Array(t.rawData.slice().buffer), float16Value))
  }
  if (tensors.size === 0) return undefined
  const get = (name: string, n: number): Float32Array => {
    const v = tensors.get(name)
    if (!v || v.length !== n) throw new LatentypeError('BAD_MODEL_CARD', `the model's fitted prior "${name}" is missing or has the wrong size — re-export it with npm run fit-prior`)
    return v
  }
  const sq = latent * latent
  return { mean: get(PRIOR_WEIGHTS.mean, classes * latent), cholT: get(PRIOR_WEIGHTS.cholT, sq), invT: get(PRIOR_WEIGHTS.invT, sq) }
}

/** z = m_c + C·u for one latent (rows of Cᵀ as stored). */
export function toModelLatent(p: Omit<FittedPrior, 'counts'>, u: Float32Array, cls: number): Float32Array {
  const L = u.length
  const z = p.mean.slice(cls * L, (cls + 1) * L)
  for (let j = 0; j < L; j++) {
    const uj = u[j]!
    if (uj === 0) continue
    for (let i = 0; i < L; i++) z[i]! += uj * p.cholT[j * L + i]!
  }
  return z
}

/** u = C⁻¹(z − m_c) for one latent. */
export function toPriorUnits(p: Omit<FittedPrior, 'counts'>, z: Float32Array, cls: number): Float32Array {
  const L = z.length
  const u = new Float32Array(L)
  for (let j = 0; j < L; j++) {
    const d = z[j]! - p.mean[cls * L + j]!
    if (d === 0) continue
    for (let i = 0; i < L; i++) u[i]! += d * p.invT[j * L + i]!
  }
  return u
}
