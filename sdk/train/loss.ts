/**
 * The CVAE objective in the graph: negative ELBO = Bernoulli reconstruction (BCE with logits, summed over
 * pixels; minus log C(λ) for the continuous Bernoulli when the spec asks for it) + β·KL(q(z|x,c) ‖ N(0, I)),
 * with z = μ + exp(½ log σ²)·ε and ε fed in (reproducible by seed).
 * Per-example terms are exposed too, for validation ELBO and importance-weighted bounds.
 */
import { attr, type Graph, type Value } from '../graph/graph.js'
import type { ConvImpl } from '../graph/conv-gemm.js'
import type { Init } from '../graph/layers.js'
import { decoder, encoder } from '../model/cvae.js'
import { pixelNll } from '../model/likelihood.js'
import type { CvaeSpec } from '../model/spec.js'

export { CB_SERIES_BELOW, logCBNormalizer } from '../model/likelihood.js'

export interface LossOptions {
  /** How the graph's convolutions are emitted (sdk/graph/conv-gemm.ts; default the ONNX ops, the step graph uses 'auto'); the loss is the same either way. */
  conv?: ConvImpl
  /**
   * Free bits (nats per latent dimension, 0 = off): each dimension's batch-mean KL counts as at least this
   * much, so the optimizer gains nothing by collapsing it below (Kingma et al. 2016).
   */
  freeBits?: number
}

/**
 * What the decoder reconstructs. Default: the encoder's own input (the ELBO). A style pair instead asks the
 * decoder to draw another class of the same source (font, icon set) from the encoder's z — so z cannot carry the
 * class and must carry the source's style.
 */
export interface DecoderTarget {
  x: Value
  onehot: Value
  /**
   * Multiplies z before the decoder [N, latent]: a spatial latent's grid is zeroed on style-pair items, so the
   * drawing of another class comes from the global (style) part alone while self-reconstruction uses the grid too.
   */
  zMask?: Value
  /** Per-pixel weights of the reconstruction term [N, C, S, S] (the trainer's `topologyWeight`); default 1. */
  weight?: Value
}

export interface CvaeLoss {
  /** Scalar to minimise: mean over the batch of rec + β·KL (with free bits when set). */
  loss: Value
  /** Batch means of −log p(x|z,c) (weighted per pixel when the target has `weight`) and KL, for metrics. */
  rec: Value
  kl: Value
  /**
   * Per example [N]: −log p(x|z,c) (weighted per pixel when the target has `weight`), KL, and the importance weight
   * log p(x|z,c) + log p(z) − log q(z|x,c).
   */
  recEach: Value
  klEach: Value
  logw: Value
  z: Value
  logits: Value
}

const i64 = (g: Graph, v: number[]): Value => g.int64(v, 'axes')

/** Builds encoder → reparameterised z → decoder → loss. `x` is the target in [0,1] (binarised or not). */
export function cvaeLoss(g: Graph, spec: CvaeSpec, x: Value, onehot: Value, eps: Value, beta: Value, init: Init, o: LossOptions = {}, target: DecoderTarget = { x, onehot }): CvaeLoss {
  // encoder and decoder outside any scope, so weight names match the exported model's
  const { mu, logvar } = encoder(g, spec, x, onehot, init, { conv: o.conv })
  const half = g.scalar(0.5, 'loss/half')
  const z = g.scope('loss', () => g.op('Add', [mu, g.op('Mul', [g.op('Exp', [g.op('Mul', [logvar, half])]), eps])], {}, 'z'))
  const zDec = target.zMask ? g.scope('loss', () => g.op('Mul', [z, target.zMask!], {}, 'z_masked')) : z
  const logits = decoder(g, spec, zDec, target.onehot, init, { conv: o.conv })
  return g.scope('loss', () => {
    const nll = pixelNll(g, spec, logits, target.x)
    const recEach = g.op('ReduceSum', [target.weight ? g.op('Mul', [nll, target.weight], {}, 'weighted_nll') : nll, i64(g, [1, 2, 3])], { keepdims: attr.i(0) }, 'rec_each')
    // KL(N(μ,σ²) ‖ N(0,1)) per dimension = ½(μ² + σ² − 1 − log σ²)
    const klDim = g.op('Mul', [half, g.op('Sub', [g.op('Add', [g.op('Mul', [mu, mu]), g.op('Exp', [logvar])]), g.op('Add', [logvar, g.scalar(1, 'one')])])])
    const klEach = g.op('ReduceSum', [klDim, i64(g, [1])], { keepdims: attr.i(0) }, 'kl_each')
    const rec = g.op('ReduceMean', [recEach], { keepdims: attr.i(0) }, 'rec')
    const kl = g.op('ReduceMean', [klEach], { keepdims: attr.i(0) }, 'kl')
    let klTerm = kl
    if (o.freeBits && o.freeBits > 0) {
      const perDim = g.op('ReduceMean', [klDim], { axes: attr.ints([0]), keepdims: attr.i(0) })
      klTerm = g.op('ReduceSum', [g.op('Max', [perDim, g.scalar(o.freeBits, 'free_bits')])], { keepdims: attr.i(0) }, 'kl_free_bits')
    }
    const loss = g.op('Add', [rec, g.op('Mul', [beta, klTerm])], {}, 'loss')
    // log w = −rec − ½Σz² + ½Σ(ε² + log σ²)   (the log 2π terms of p(z) and q(z|x) cancel)
    const logPz = g.op('ReduceSum', [g.op('Mul', [z, z]), i64(g, [1])], { keepdims: attr.i(0) })
    const logQ = g.op('ReduceSum', [g.op('Add', [g.op('Mul', [eps, eps]), logvar]), i64(g, [1])], { keepdims: attr.i(0) })
    const logw = g.op('Mul', [half, g.op('Sub', [logQ, logPz])])
    return { loss, rec, kl, recEach, klEach, logw: g.op('Sub', [logw, recEach], {}, 'logw'), z, logits }
  })
}
