/**
 * Builds the CVAE's encoder and decoder from a {@link CvaeSpec} into a {@link Graph}. Used for inference
 * models (with the public I/O names below) and, by sdk/train, inside the training step graph.
 */
import type { Graph, Value } from '../graph/graph.js'
import type { ConvImpl } from '../graph/conv-gemm.js'
import { activate, activateMap, classBias, convLayer, convTransposeLayer, dense, inLayout, nchw, type Init } from '../graph/layers.js'
import type { CvaeSpec } from './spec.js'

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

/** Decoder body: z [N, latent], one-hot [N,K] → logits [N,C,S,S] (apply Sigmoid for coverage). */
export function decoder(g: Graph, spec: CvaeSpec, z: Value, onehot: Value, init: Init, build: BuildOptions = {}): Value {
  return g.scope('dec', () => {
    const conv = spec.decoder.conv
    const side = spec.imageSize / 2 ** conv.length
    const joined = g.op('Concat', [z, onehot], { axis: { type: 'int', value: 1 } }, 'with_class')
    let h = activate(g, dense(g, joined, spec.latentSize + spec.numClasses, spec.decoder.hidden, init, 'fc'), spec.activation)
    h = activate(g, dense(g, h, spec.decoder.hidden, conv[0]! * side * side, init, 'fc_grid'), spec.activation)
    let m = nchw(g.op('Reshape', [h, g.int64([0, conv[0]!, side, side], 'grid_shape')], {}, 'to_grid'))
    for (let i = 0; i < conv.length; i++) {
      const inCh = conv[i]!
      const last = i === conv.length - 1
      const outCh = last ? spec.channels : conv[i + 1]!
      m = convTransposeLayer(g, m, inCh, outCh, { ...K4S2, impl: build.conv }, init, `deconv${i}`)
      if (spec.classBias) m = classBias(g, m, onehot, spec.numClasses, outCh, init, `class_bias${i}`)
      if (!last) m = activateMap(g, m, spec.activation)
    }
    return inLayout(g, m, 'nchw')
  })
}

/** Adds both inference graphs with the public I/O names of {@link IO}; batch is the symbolic dim "N". */
export function buildInferenceGraphs(g: Graph, spec: CvaeSpec, init: Init): void {
  const S = spec.imageSize
  const dz = g.input(IO.decoder.z, ['N', spec.latentSize])
  const dc = g.input(IO.decoder.class, ['N', spec.numClasses])
  const logits = decoder(g, spec, dz, dc, init)
  g.output(g.op('Sigmoid', [logits], {}, 'dec/sigmoid'), IO.decoder.image)
  const ei = g.input(IO.encoder.image, ['N', spec.channels, S, S])
  const ec = g.input(IO.encoder.class, ['N', spec.numClasses])
  const { mu, logvar } = encoder(g, spec, ei, ec, init)
  g.output(mu, IO.encoder.mu)
  g.output(logvar, IO.encoder.logvar)
}
