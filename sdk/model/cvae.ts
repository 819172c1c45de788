/**
 * Builds the CVAE's encoder and decoder from a {@link CvaeSpec} into a {@link Graph}. Used for inference
 * models (with the public I/O names below) and, by sdk/train, inside the training step graph.
 */
import type { Graph, Value } from '../graph/graph.js'
import type { ConvImpl } from '../graph/conv-gemm.js'
import { activate, activateMap, classBias, convLayer, convTransposeLayer, dense, inLayout, nchw, type Init } from '../graph/layers.js'
import { outputImage } from './likelihood.js'
import { latentFromPrior, posteriorInPrior, priorParams, type PriorParams } from './prior.js'
import { latentParts, type CvaeSpec } from './spec.js'

/** Public tensor names of a model file. Class inputs are one-hot (or any mixture) float [N, numClasses]. */
export const IO = {
  decoder: { z: 'dec_z', class: 'dec_class', image: 'dec_image', logits: 'dec_logits' },
  encoder: { image: 'enc_image', class: 'enc_class', mu: 'enc_mu', logvar: 'enc_logvar' },
} as const

const K4S2 = { kernel: 4, stride: 2, pad: 1 }

/** How the graph is emitted, not what it computes: training graphs lower small-map convolutions to Gemms. */
export interface BuildOptions {
  conv?: ConvImpl
}

/** Encoder body: image [N,C,S,S], one-hot [N,K] → { mu, logvar } [N, latent]. */
export function encoder(g: Graph, spec: CvaeSpec, image: Value, onehot: Value, init: Init, build: BuildOptions = {}): { mu: Value; logvar: Value } {
  return g.scope('enc', () => {
    let h = nchw(image)
    let ch = spec.channels
    spec.encoder.conv.forEach((out, i) => {
      h = activateMap(g, convLayer(g, h, ch, out, { ...K4S2, impl: build.conv }, init, `conv${i}`), spec.activation)
      ch = out
    })
    const side = spec.imageSize / 2 ** spec.encoder.conv.length
    const flat = g.op('Flatten', [inLayout(g, h, 'nchw')], {}, 'flatten')
    const feats = ch * side * side
    const joined = g.op('Concat', [flat, onehot], { axis: { type: 'int', value: 1 } }, 'with_class')
    const hidden = activate(g, dense(g, joined, feats + spec.numClasses, spec.encoder.hidden, init, 'fc'), spec.activation)
    const mu = dense(g, hidden, spec.encoder.hidden, spec.latentSize, init, 'mu')
    const logvar = dense(g, hidden, spec.encoder.hidden, spec.latentSize, init, 'logvar')
    return { mu, logvar }
  })
}

/** Decoder body: z [N, latent], one-hot [N,K] → raw output [N,C,S,S]: logits, or a distance field (likelihood.ts `outputImage` turns either into coverage). */
export function decoder(g: Graph, spec: CvaeSpec, z: Value, onehot: Value, init: Init, build: BuildOptions = {}): Value {
  return g.scope('dec', () => {
    const conv = spec.decoder.conv
    const parts = latentParts(spec)
    const side = spec.imageSize / 2 ** conv.length
    const axis1 = { axis: { type: 'int' as const, value: 1 } }
    // the global part goes through the dense bottleneck; a spatial grid joins the channels of the map of its side
    const zGlobal = parts.grid ? g.op('Slice', [z, g.int64([0], 'starts'), g.int64([parts.global], 'ends'), g.int64([1], 'axes')], {}, 'z_global') : z
    const joined = g.op('Concat', [zGlobal, onehot], axis1, 'with_class')
    let h = activate(g, dense(g, joined, parts.global + spec.numClasses, spec.decoder.hidden, init, 'fc'), spec.activation)
    h = activate(g, dense(g, h, spec.decoder.hidden, conv[0]! * side * side, init, 'fc_grid'), spec.activation)
    const first = g.op('Reshape', [h, g.int64([0, conv[0]!, side, side], 'grid_shape')], {}, 'to_grid')
    const zGrid = parts.grid
      ? g.op('Reshape', [g.op('Slice', [z, g.int64([parts.global], 'starts'), g.int64([spec.latentSize], 'ends'), g.int64([1], 'axes')], {}, 'z_grid'), g.int64([0, parts.channels, parts.side, parts.side], 'z_grid_shape')])
      : null
    let m = nchw(first)
    for (let i = 0; i < conv.length; i++) {
      if (zGrid && i === parts.level) m = nchw(g.op('Concat', [inLayout(g, m, 'nchw'), zGrid], axis1, 'with_z_grid'))
      const inCh = conv[i]! + (i === parts.level ? parts.channels : 0)
      const last = i === conv.length - 1
      const outCh = last ? spec.channels : conv[i + 1]!
      m = convTransposeLayer(g, m, inCh, outCh, { ...K4S2, impl: build.conv }, init, `deconv${i}`)
      if (spec.classBias) m = classBias(g, m, onehot, spec.numClasses, outCh, init, `class_bias${i}`)
      if (!last) m = activateMap(g, m, spec.activation)
    }
    return inLayout(g, m, 'nchw')
  })
}

/**
 * Adds both inference graphs with the public I/O names of {@link IO}; batch is the symbolic dim "N". With
 * `fittedPrior`, the public latent is in the fitted prior's units (sdk/model/prior.ts): the decoder maps it to
 * the model's z and the encoder returns its posterior in those units.
 */
export function buildInferenceGraphs(g: Graph, spec: CvaeSpec, init: Init, o: { fittedPrior?: boolean; priorComponents?: number } = {}): { prior?: PriorParams } {
  const S = spec.imageSize
  const K = spec.numClasses
  const L = spec.latentSize
  const dz = g.input(IO.decoder.z, ['N', L])
  const dc = g.input(IO.decoder.class, ['N', K])
  const prior = o.fittedPrior ? priorParams(g, K, L, init, o.priorComponents) : undefined
  const z = prior ? latentFromPrior(g, prior, dz, dc) : dz
  const logits = decoder(g, spec, z, dc, init)
  g.output(outputImage(g, spec, logits, 'dec/sigmoid'), IO.decoder.image)
  const ei = g.input(IO.encoder.image, ['N', spec.channels, S, S])
  const ec = g.input(IO.encoder.class, ['N', K])
  const raw = encoder(g, spec, ei, ec, init)
  const { mu, logvar } = prior ? posteriorInPrior(g, prior, raw.mu, raw.logvar, ec) : raw
  g.output(mu, IO.encoder.mu)
  g.output(logvar, IO.encoder.logvar)
  return { prior }
}
