/**
 * Validation and test metrics from the eval graph: the ELBO (one ε per image, seeded, so it is comparable
 * across steps) and the importance-weighted bound of Burda et al. for −log p(x|c) and, summing over classes
 * with a uniform p(c), the unconditional −log p(x).
 */
import { Rng } from '../random.js'
import { derivedSeed, fillBatch, fillFieldBatch, type Binarize, type ImageSet } from './data.js'
import { TRAIN_IO } from './graphs.js'
import type { Feeds, GraphRunner } from './session.js'

export interface EvalModel {
  runner: GraphRunner
  /** Weight feeds by name (the eval graph's parameter inputs). */
  weights: Feeds
  imageSize: number
  latentSize: number
  /** A distance-field model (spec.likelihood): the eval graph takes the items' fields as x_target. */
  field?: boolean
}

export interface ElboResult {
  /** Mean negative ELBO in nats per image. */
  nelbo: number
  rec: number
  kl: number
  count: number
}

/** Binarised targets fixed by `seed`, so a metric is computed on the same data every time. */
export async function evaluateElbo(m: EvalModel, set: ImageSet, o: { binarize: Binarize; seed: number; batch?: number }): Promise<ElboResult> {
  const B = o.batch ?? 500
  let rec = 0
  let kl = 0
  for (let s = 0; s < set.count; s += B) {
    const n = Math.min(B, set.count - s)
    const idx = Int32Array.from({ length: n }, (_, i) => s + i)
    const batch = fillBatch(set, idx, o.binarize, new Rng(derivedSeed(o.seed, 'eval-bin', s)))
    const eps = new Rng(derivedSeed(o.seed, 'eval-eps', s)).normals(n * m.latentSize)
    const out = await m.runner.run(feeds(m, set, batch.x, batch.onehot, eps, n, idx), [TRAIN_IO.recEach, TRAIN_IO.klEach])
    for (let i = 0; i < n; i++) {
      rec += out[TRAIN_IO.recEach]![i]!
      kl += out[TRAIN_IO.klEach]![i]!
    }
  }
  return { nelbo: (rec + kl) / set.count, rec: rec / set.count, kl: kl / set.count, count: set.count }
}

function feeds(m: EvalModel, set: ImageSet, x: Float32Array, onehot: Float32Array, eps: Float32Array, n: number, items: ArrayLike<number>): Feeds {
  const S = m.imageSize
  const f: Feeds = { ...m.weights, [TRAIN_IO.x]: { data: x, dims: [n, 1, S, S] }, [TRAIN_IO.class]: { data: onehot, dims: [n, set.classes.length] }, [TRAIN_IO.eps]: { data: eps, dims: [n, m.latentSize] } }
  if (m.field) f[TRAIN_IO.xTarget] = { data: fillFieldBatch(set, items).x, dims: [n, 1, S, S] }
  return f
}

export interface IwaeResult {
  /** −log p(x|c) with the true class, k samples, nats per image. */
  nllConditional: number
  /** −log p(x) = −log Σ_c p(c) p(x|c), uniform p(c), k samples per class. */
  nllMarginal: number
  k: number
  count: number
}

const logMeanExp = (a: Float64Array): number => {
  let mx = -Infinity
  for (const v of a) mx = Math.max(mx, v)
  let s = 0
  for (const v of a) s += Math.exp(v - mx)
  return mx + Math.log(s / a.length)
}

/**
 * Importance-weighted estimates with k samples of z per (image, class). Cost: images × classes × k decoder and
 * encoder passes (the encoder input repeats, so batches are one image-class pair × k).
 */
export async function evaluateIwae(m: EvalModel, set: ImageSet, o: { k: number; binarize: Binarize; seed: number; onProgress?: (done: number) => void }): Promise<IwaeResult> {
  const K = set.classes.length
  const S = m.imageSize
  const px = S * S
  let cond = 0
  let marg = 0
  const x = new Float32Array(o.k * px)
  const onehot = new Float32Array(o.k * K)
  for (let i = 0; i < set.count; i++) {
    const one = fillBatch(set, [i], o.binarize, new Rng(derivedSeed(o.seed, 'iwae-bin', i)))
    for (let j = 0; j < o.k; j++) x.set(one.x, j * px)
    const perClass = new Float64Array(K)
    for (let c = 0; c < K; c++) {
      onehot.fill(0)
      for (let j = 0; j < o.k; j++) onehot[j * K + c] = 1
      const eps = new Rng(derivedSeed(o.seed, `iwae-eps-${c}`, i)).normals(o.k * m.latentSize)
      const out = await m.runner.run(feeds(m, set, x, onehot, eps, o.k, new Int32Array(o.k).fill(i)), [TRAIN_IO.logw])
      perClass[c] = logMeanExp(Float64Array.from(out[TRAIN_IO.logw]!))
    }
    cond += -perClass[set.labels[i]!]!
    marg += -(logMeanExp(perClass) + 0) // mean over classes = Σ_c p(c)·p̂(x|c) with p(c) = 1/K
    o.onProgress?.(i + 1)
  }
  return { nllConditional: cond / set.count, nllMarginal: marg / set.count, k: o.k, count: set.count }
}
