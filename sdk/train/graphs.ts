/**
 * The three graphs a training run opens once each, all built from the same {@link CvaeSpec} through
 * sdk/model/cvae.ts, with the weights as graph inputs:
 * - step: forward, loss, backward, Adam update (static batch, so onnxruntime can plan memory once);
 * - eval: per-example −log p(x|z,c), KL and log importance weight (any batch);
 * - decode: z, class → logits and coverage (any batch), for sample sheets.
 */
import { Graph, type Value } from '../graph/graph.js'
import type { GradOptions } from '../graph/ops/index.js'
import type { Init } from '../graph/layers.js'
import { decoder } from '../model/cvae.js'
import { isFieldModel, outputImage } from '../model/likelihood.js'
import type { CvaeSpec } from '../model/spec.js'
import { adamUpdate, type AdamOptions } from './adam.js'
import { gradients } from './autodiff.js'
import { cvaeLoss, type LossOptions } from './loss.js'
import { graphModel } from './session.js'

/** Input and output names of the training graphs. */
export const TRAIN_IO = {
  x: 'x',
  class: 'class',
  xTarget: 'x_target',
  classTarget: 'class_target',
  pixelWeight: 'pixel_weight',
  zMask: 'z_mask',
  eps: 'eps',
  beta: 'beta',
  z: 'z',
  loss: 'loss',
  rec: 'rec',
  kl: 'kl',
  gradNorm: 'grad_norm',
  recEach: 'rec_each',
  klEach: 'kl_each',
  logw: 'logw',
  logits: 'logits',
  image: 'image',
  m: (p: string) => `adam.m/${p}`,
  v: (p: string) => `adam.v/${p}`,
  next: (name: string) => `next/${name}`,
} as const

export interface ParamInfo {
  name: string
  shape: number[]
  /** Initial values from the Init the graph was built with. */
  init: Float32Array
}

export interface BuiltGraph {
  model: Uint8Array
  params: ParamInfo[]
}

export interface StepGraphOptions {
  batchSize: number
  /**
   * Adds inputs x_target, class_target (and z_mask with a spatial latent): what the decoder reconstructs (style
   * pairs); else x, class. Distance-field models always have them: their target is the field, not the encoder's input.
   */
  pairs?: boolean
  /** Adds input pixel_weight [N, C, S, S]: per-pixel weights of the reconstruction term (the trainer's `topologyWeight`). */
  pixelWeights?: boolean
  loss?: LossOptions
  adam?: AdamOptions
  grad?: GradOptions
}

const zerosInit: Init = (_n, shape) => new Float32Array(shape.reduce((a, b) => a * b, 1))

function paramInfo(g: Graph): ParamInfo[] {
  return g.params().map((p) => ({ name: p.value.name, shape: p.value.shape as number[], init: p.data as Float32Array }))
}

function dataInputs(g: Graph, spec: CvaeSpec, n: number | 'N'): { x: Value; c: Value; eps: Value } {
  const S = spec.imageSize
  return { x: g.input(TRAIN_IO.x, [n, spec.channels, S, S]), c: g.input(TRAIN_IO.class, [n, spec.numClasses]), eps: g.input(TRAIN_IO.eps, [n, spec.latentSize]) }
}

/**
 * Backward + Adam for every param of `g`: adds the moment inputs (`adam.m/…`, `adam.v/…`) and the updated
 * weights and moments as outputs (`next/…`). Shared by every training step graph (CVAE, classifier).
 */
export function addOptimizerStep(g: Graph, loss: Value, adam?: AdamOptions, grad?: GradOptions): { gradNorm: Value } {
  const params = g.params().map((p) => p.value)
  const grads = gradients(g, loss, params, grad)
  const state = params.map((p) => ({ value: p, m: g.input(TRAIN_IO.m(p.name), [...p.shape]), v: g.input(TRAIN_IO.v(p.name), [...p.shape]) }))
  const { next, gradNorm } = adamUpdate(g, state, grads, adam)
  for (const p of params) {
    const n = next.get(p.name)!
    g.output(n.param, TRAIN_IO.next(p.name))
    g.output(n.m, TRAIN_IO.next(TRAIN_IO.m(p.name)))
    g.output(n.v, TRAIN_IO.next(TRAIN_IO.v(p.name)))
  }
  return { gradNorm }
}

/** The training step graph; `init` gives the initial weights (returned in `params`). */
export function buildStepGraph(spec: CvaeSpec, init: Init, o: StepGraphOptions): BuiltGraph {
  const g = new Graph()
  const { x, c, eps } = dataInputs(g, spec, o.batchSize)
  const beta = g.input(TRAIN_IO.beta, [])
  const S = spec.imageSize
  const weight = o.pixelWeights ? { weight: g.input(TRAIN_IO.pixelWeight, [o.batchSize, spec.channels, S, S]) } : {}
  const target = o.pairs || isFieldModel(spec)
    ? {
        x: g.input(TRAIN_IO.xTarget, [o.batchSize, spec.channels, S, S]),
        onehot: g.input(TRAIN_IO.classTarget, [o.batchSize, spec.numClasses]),
        ...(spec.spatialLatent ? { zMask: g.input(TRAIN_IO.zMask, [o.batchSize, spec.latentSize]) } : {}),
        ...weight,
      }
    : o.pixelWeights
    ? { x, onehot: c, ...weight }
    : undefined
  const l = cvaeLoss(g, spec, x, c, eps, beta, init, { conv: 'auto', ...o.loss }, target)
  const { gradNorm } = addOptimizerStep(g, l.loss, o.adam, o.grad)
  g.output(l.loss, TRAIN_IO.loss)
  g.output(l.rec, TRAIN_IO.rec)
  g.output(l.kl, TRAIN_IO.kl)
  g.output(gradNorm, TRAIN_IO.gradNorm)
  return { model: graphModel(g, 'latentype-train-step', { paramsAsInputs: true }), params: paramInfo(g) }
}

/** The loss forward alone (no update), for gradient checks of the whole model: outputs loss and the gradients. */
export function buildLossGraph(spec: CvaeSpec, init: Init, batchSize: number, o: { loss?: LossOptions; grad?: GradOptions } = {}): BuiltGraph & { gradNames: Map<string, string> } {
  const g = new Graph()
  const { x, c, eps } = dataInputs(g, spec, batchSize)
  const beta = g.input(TRAIN_IO.beta, [])
  // a distance-field model reconstructs the field of x, fed as x_target
  const target = isFieldModel(spec) ? { x: g.input(TRAIN_IO.xTarget, [batchSize, spec.channels, spec.imageSize, spec.imageSize]), onehot: c } : undefined
  const l = cvaeLoss(g, spec, x, c, eps, beta, init, o.loss, target)
  const params = g.params().map((p) => p.value)
  const grads = gradients(g, l.loss, params, o.grad)
  g.output(l.loss, TRAIN_IO.loss)
  const gradNames = new Map<string, string>()
  for (const p of params) gradNames.set(p.name, g.output(grads.get(p.name)!, `grad/${p.name}`).name)
  return { model: graphModel(g, 'latentype-loss', { paramsAsInputs: true }), params: paramInfo(g), gradNames }
}

/** Per-example ELBO terms with β = 1 and no free bits (the honest bound), any batch size. */
export function buildEvalGraph(spec: CvaeSpec): BuiltGraph {
  const g = new Graph()
  const { x, c, eps } = dataInputs(g, spec, 'N')
  // a distance-field model reconstructs the field of x, fed as x_target
  const target = isFieldModel(spec) ? { x: g.input(TRAIN_IO.xTarget, ['N', spec.channels, spec.imageSize, spec.imageSize]), onehot: c } : undefined
  const l = cvaeLoss(g, spec, x, c, eps, g.scalar(1, 'beta'), zerosInit, {}, target)
  g.output(l.recEach, TRAIN_IO.recEach)
  g.output(l.klEach, TRAIN_IO.klEach)
  g.output(l.logw, TRAIN_IO.logw)
  g.output(l.z, TRAIN_IO.z)
  g.output(l.logits, TRAIN_IO.logits)
  return { model: graphModel(g, 'latentype-eval', { paramsAsInputs: true }), params: paramInfo(g) }
}

/** Decoder alone: z, class → raw output (logits or field), coverage. */
export function buildDecodeGraph(spec: CvaeSpec): BuiltGraph {
  const g = new Graph()
  const z = g.input(TRAIN_IO.z, ['N', spec.latentSize])
  const c = g.input(TRAIN_IO.class, ['N', spec.numClasses])
  const logits = decoder(g, spec, z, c, zerosInit)
  g.output(logits, TRAIN_IO.logits)
  g.output(outputImage(g, spec, logits), TRAIN_IO.image)
  return { model: graphModel(g, 'latentype-decode', { paramsAsInputs: true }), params: paramInfo(g) }
}
