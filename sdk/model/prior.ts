/**
 * The fitted prior: a class-conditional Gaussian N(m_c, Σ) fitted after training to where the encoder puts the
 * data (the aggregate posterior of each class, with one covariance Σ = C·Cᵀ pooled over classes), instead of the
 * N(0, I) the model was trained against, which the posterior never fills.
 *
 * It is baked into the model file as a change of coordinates, so every consumer keeps working in N(0, I) units:
 * the public latent u relates to the decoder's z by z = m_c + C·u. The decoder part computes z from u; the encoder
 * part returns the posterior in u units: μ_u = C⁻¹(μ − m_c) and, per dimension, the diagonal of C⁻¹·diag(σ²)·C⁻ᵀ.
 * So sliders, interpolation and transfer need no knowledge of the prior, and a file without one is the identity
 * (m_c = 0, C = I).
 *
 * With `components` > 0 the fit is a mixture per class (k-means on the posterior means, seeded): Σ is pooled
 * within components, and each component k of class c is stored as its offset in prior units,
 * o_ck = C⁻¹(μ_ck − m_c), with its weight. `sample` then draws a component by weight and u = o_ck + t·ε, so samples
 * land on the modes of the data (outline vs filled, serif vs sans) instead of between them. The graph does not read
 * the mixture; it travels in the file as two initializers that only {@link readPrior} reads.
 */
import type { Graph, Value } from '../graph/graph.js'
import { float16Value } from '../onnx/fp16.js'
import { DataType, type ModelProto } from '../onnx/model-proto.js'
import type { Init } from '../graph/layers.js'
import { LatentypeError } from '../errors.js'
import { Rng } from '../random.js'

/** Weight names of the prior inside a model file. */
export const PRIOR_WEIGHTS = { mean: 'prior/mean', cholT: 'prior/chol_t', invT: 'prior/inv_t', mixOffsets: 'prior/mix_offsets', mixWeights: 'prior/mix_weights' } as const

/** The prior's weights in a graph (once per graph: the decoder and encoder parts share them). */
export interface PriorParams {
  mean: Value
  cholT: Value
  invT: Value
}

/** Adds the prior's weights; with `components`, also the mixture's (unread by the graph, carried in the file). */
export function priorParams(g: Graph, classes: number, latent: number, init: Init, components = 0): PriorParams {
  const param = (name: string, shape: number[]): Value => g.param(name, shape, (n) => init(n, shape, shape[0]!, 'weight'))
  const sq = [latent, latent]
  if (components > 0) {
    param(PRIOR_WEIGHTS.mixOffsets, [classes, components, latent])
    param(PRIOR_WEIGHTS.mixWeights, [classes, components])
  }
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
  /** Mixture components per class (0: one Gaussian per class), their offsets [K·M·L] in prior units and weights [K·M]. */
  components: number
  mixOffsets?: Float32Array
  mixWeights?: Float32Array
}

/** The prior as read back from a file: what sampling and latent arithmetic need. */
export type StoredPrior = Omit<FittedPrior, 'counts'>

/**
 * Fits N(m_c, Σ) to posteriors of `n` items: m_c = mean of μ over class c; Σ = pooled within-class covariance of μ
 * plus the mean posterior variance on the diagonal (the aggregate posterior's covariance, moment-matched).
 * A class with no items gets the mean of all items.
 */
export function fitPrior(mu: Float32Array, logvar: Float32Array, classIds: ArrayLike<number>, n: number, classes: number, latent: number, o: { components?: number; seed?: number } = {}): FittedPrior {
  const L = latent
  const M = o.components ?? 0
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
  // centre of each item: its class mean, or its component's centroid for a mixture
  const mix = M > 0 ? classKMeans(mu, classIds, n, classes, L, M, o.seed ?? 1) : undefined
  const centre = (i: number): Float64Array => (mix ? mix.centroids.subarray((classIds[i]! * M + mix.assign[i]!) * L, (classIds[i]! * M + mix.assign[i]! + 1) * L) : mean.subarray(classIds[i]! * L, (classIds[i]! + 1) * L))
  const cov = new Float64Array(L * L)
  const r = new Float64Array(L)
  for (let i = 0; i < n; i++) {
    const m = centre(i)
    for (let d = 0; d < L; d++) r[d] = mu[i * L + d]! - m[d]!
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
  const fitted: FittedPrior = { mean: Float32Array.from(mean), cholT, invT, counts, components: M }
  if (mix) {
    const offsets = new Float32Array(classes * M * L)
    const weights = new Float32Array(classes * M)
    const d = new Float64Array(L)
    for (let c = 0; c < classes; c++) for (let k = 0; k < M; k++) {
      const row = (c * M + k) * L
      for (let j = 0; j < L; j++) d[j] = mix.centroids[row + j]! - mean[c * L + j]!
      // o = C⁻¹·d (row-major lower-triangular inverse)
      for (let a = 0; a < L; a++) {
        let v = 0
        for (let b = 0; b <= a; b++) v += inv[a * L + b]! * d[b]!
        offsets[row + a] = v
      }
      weights[c * M + k] = counts[c] ? mix.sizes[c * M + k]! / counts[c]! : 1 / M
    }
    fitted.mixOffsets = offsets
    fitted.mixWeights = weights
  }
  return fitted
}

/**
 * k-means (k-means++ seeding, seeded; 30 Lloyd steps) of the posterior means within each class. A class with
 * fewer items than components repeats items as centroids (their weight is then 0 for the repeats).
 */
function classKMeans(mu: Float32Array, classIds: ArrayLike<number>, n: number, classes: number, L: number, M: number, seed: number): { centroids: Float64Array; assign: Int32Array; sizes: Float64Array } {
  const centroids = new Float64Array(classes * M * L)
  const assign = new Int32Array(n)
  const sizes = new Float64Array(classes * M)
  const members: number[][] = Array.from({ length: classes }, () => [])
  for (let i = 0; i < n; i++) members[classIds[i]!]!.push(i)
  const dist = (i: number, row: number): number => {
    let s = 0
    for (let j = 0; j < L; j++) s += (mu[i * L + j]! - centroids[row + j]!) ** 2
    return s
  }
  const rng = new Rng(seed)
  for (let c = 0; c < classes; c++) {
    const items = members[c]!
    if (items.length === 0) continue
    // k-means++: first centre uniform, then ∝ squared distance to the nearest chosen centre
    const nearest = new Float64Array(items.length).fill(Infinity)
    for (let k = 0; k < M; k++) {
      let pick = items[0]!
      if (k === 0) pick = items[rng.int(items.length)]!
      else {
        const total = nearest.reduce((a, b) => a + b, 0)
        let r = rng.uniform() * total
        for (let t = 0; t < items.length; t++) {
          r -= nearest[t]!
          if (r <= 0) { pick = items[t]!; break }
        }
      }
      const row = (c * M + k) * L
      for (let j = 0; j < L; j++) centroids[row + j] = mu[pick * L + j]!
      items.forEach((i, t) => (nearest[t] = Math.min(nearest[t]!, dist(i, row))))
    }
    for (let iter = 0; iter < 30; iter++) {
      let moved = false
      for (const i of items) {
        let best = 0
        let bestD = Infinity
        for (let k = 0; k < M; k++) {
          const d = dist(i, (c * M + k) * L)
          if (d < bestD) { bestD = d; best = k }
        }
        if (assign[i] !== best) { assign[i] = best; moved = true }
      }
      for (let k = 0; k < M; k++) {
        const row = (c * M + k) * L
        const inK = items.filter((i) => assign[i] === k)
        sizes[c * M + k] = inK.length
        if (inK.length === 0) continue
        centroids.fill(0, row, row + L)
        for (const i of inK) for (let j = 0; j < L; j++) centroids[row + j]! += mu[i * L + j]!
        for (let j = 0; j < L; j++) centroids[row + j]! /= inK.length
      }
      if (!moved && iter > 0) break
    }
  }
  return { centroids, assign, sizes }
}

/**
 * Draws `n` public latents for class `cls` from the model's prior at temperature `t`: N(0, t²I), or with a mixture
 * a component by weight (one uniform) and then o_ck + t·ε (normals). Identical in every JS engine (sdk/random.ts).
 */
export function samplePrior(prior: StoredPrior | undefined, latent: number, cls: number, n: number, rng: Rng, t: number): Float32Array[] {
  return Array.from({ length: n }, () => {
    if (!prior?.mixOffsets || !prior.mixWeights || prior.components === 0) return rng.normals(latent, t)
    const M = prior.components
    let r = rng.uniform()
    let k = 0
    for (; k < M - 1; k++) {
      r -= prior.mixWeights[cls * M + k]!
      if (r < 0) break
    }
    const u = rng.normals(latent, t)
    const row = (cls * M + k) * latent
    for (let j = 0; j < latent; j++) u[j]! += prior.mixOffsets[row + j]!
    return u
  })
}

/**
 * Mixture weights resampled by how often each component draws an acceptable picture: w′_ck ∝ w_ck·(a_ck + ½/draws),
 * normalised per class, where a_ck is the share of `draws` test draws of component k of class c that passed (e.g.
 * no softer than most real drawings of the class). A component-level form of a resampled prior (Bauer & Mnih
 * 2019): samples come more often from the modes where the decoder draws clean shapes; the ½-draw floor keeps every
 * component reachable, so no style of the data is cut off.
 */
export function acceptanceWeights(weights: Float32Array, accepted: Float32Array, classes: number, draws: number): Float32Array {
  const M = weights.length / classes
  if (!Number.isInteger(M) || accepted.length !== weights.length) throw new LatentypeError('BAD_ARGUMENT', `acceptance needs one rate per mixture component (${weights.length}), got ${accepted.length}`)
  const out = new Float32Array(weights.length)
  for (let c = 0; c < classes; c++) {
    let total = 0
    for (let k = 0; k < M; k++) total += weights[c * M + k]! * (accepted[c * M + k]! + 0.5 / draws)
    for (let k = 0; k < M; k++) out[c * M + k] = total > 0 ? (weights[c * M + k]! * (accepted[c * M + k]! + 0.5 / draws)) / total : weights[c * M + k]!
  }
  return out
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
    ...(p.mixOffsets && p.mixWeights ? ([[PRIOR_WEIGHTS.mixOffsets, p.mixOffsets], [PRIOR_WEIGHTS.mixWeights, p.mixWeights]] as const) : []),
  ])
}

/**
 * The fitted prior stored in a parsed model file (float32 or float16 storage), or undefined for a file without
 * one. For latent arithmetic between the public units and the decoder's z (e.g. transfer).
 */
export function readPrior(model: ModelProto, classes: number, latent: number): StoredPrior | undefined {
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
  const base = { mean: get(PRIOR_WEIGHTS.mean, classes * latent), cholT: get(PRIOR_WEIGHTS.cholT, sq), invT: get(PRIOR_WEIGHTS.invT, sq) }
  const weights = tensors.get(PRIOR_WEIGHTS.mixWeights)
  if (!weights) return { ...base, components: 0 }
  const M = weights.length / classes
  if (!Number.isInteger(M) || M < 1) throw new LatentypeError('BAD_MODEL_CARD', `the model's prior mixture weights do not fit ${classes} classes — re-export it with npm run fit-prior`)
  return { ...base, components: M, mixWeights: weights, mixOffsets: get(PRIOR_WEIGHTS.mixOffsets, classes * M * latent) }
}

/** z = m_c + C·u for one latent (rows of Cᵀ as stored). */
export function toModelLatent(p: StoredPrior, u: Float32Array, cls: number): Float32Array {
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
export function toPriorUnits(p: StoredPrior, z: Float32Array, cls: number): Float32Array {
  const L = z.length
  const u = new Float32Array(L)
  for (let j = 0; j < L; j++) {
    const d = z[j]! - p.mean[cls * L + j]!
    if (d === 0) continue
    for (let i = 0; i < L; i++) u[i]! += d * p.invT[j * L + i]!
  }
  return u
}
