/**
 * The evaluation classifier's graphs: a small convnet (stride-2 convs + LeakyReLU, one hidden dense layer) that
 * is independent of the CVAE, its softmax cross-entropy loss (LogSoftmax, sdk/graph/ops/softmax.ts) and the
 * training step (autodiff + in-graph Adam, as the CVAE trainer does), plus the inference model with its weights.
 */
import { attr, Graph, type Value } from '../graph/graph.js'
import { activate, conv2d, dense, type Init } from '../graph/layers.js'
import { encodeModel } from '../onnx/model-proto.js'
import { IR_VERSION, OPSET } from '../model/file.js'
import type { AdamOptions } from '../train/adam.js'
import { addOptimizerStep, type BuiltGraph, type ParamInfo } from '../train/graphs.js'
import { graphModel } from '../train/session.js'
import { SDK_VERSION } from '../version.js'

export interface ClassifierSpec {
  imageSize: number
  numClasses: number
  /** Output channels of the k4 s2 p1 convs. */
  conv: number[]
  hidden: number
}

/** Default architecture for 64×64 data: ≈ 0.25 M parameters, ≈ 6 MFLOP per image. */
export function defaultClassifierSpec(imageSize: number, numClasses: number): ClassifierSpec {
  const convs = Math.min(4, Math.log2(imageSize) - 2)
  return { imageSize, numClasses, conv: [16, 32, 64, 64].slice(0, convs), hidden: 128 }
}

/** Names of the classifier's graph I/O. */
export const CLF_IO = { image: 'image', label: 'label', logits: 'logits', features: 'features', loss: 'loss', correct: 'correct' } as const

const K4S2 = { kernel: 4, stride: 2, pad: 1 }
const ACT = { type: 'leaky_relu', alpha: 0.1 } as const

/** image [N,1,S,S] → logits [N,K], weights under the scope `clf/`. */
export function classifierLogits(g: Graph, spec: ClassifierSpec, image: Value, init: Init): Value {
  return classifierHeads(g, spec, image, init).logits
}

/** image → logits [N,K] and the penultimate features [N,hidden] (after the hidden layer's activation). */
export function classifierHeads(g: Graph, spec: ClassifierSpec, image: Value, init: Init): { logits: Value; features: Value } {
  return g.scope('clf', () => {
    let h = image
    let ch = 1
    spec.conv.forEach((out, i) => {
      h = activate(g, conv2d(g, h, ch, out, K4S2, init, `conv${i}`), ACT)
      ch = out
    })
    const side = spec.imageSize / 2 ** spec.conv.length
    const flat = g.op('Flatten', [h])
    const hidden = activate(g, dense(g, flat, ch * side * side, spec.hidden, init, 'fc'), ACT)
    return { logits: dense(g, hidden, spec.hidden, spec.numClasses, init, 'out'), features: hidden }
  })
}

/** Mean softmax cross-entropy −Σ_k y_k log softmax(logits)_k over the batch; `onehot` may hold soft labels. */
export function softmaxCrossEntropy(g: Graph, logits: Value, onehot: Value): Value {
  const logp = g.op('LogSoftmax', [logits], { axis: attr.i(1) })
  const each = g.op('ReduceSum', [g.op('Mul', [onehot, logp]), g.int64([1], 'axes')], { keepdims: attr.i(0) })
  return g.op('Neg', [g.op('ReduceMean', [each], { keepdims: attr.i(0) })], {}, 'xent')
}

/** The training step: forward, cross-entropy, backward, Adam; weights and moments in and out (TRAIN_IO names). */
export function buildClassifierStep(spec: ClassifierSpec, init: Init, batchSize: number, adam: AdamOptions = {}): BuiltGraph {
  const g = new Graph()
  const S = spec.imageSize
  const x = g.input(CLF_IO.image, [batchSize, 1, S, S])
  const y = g.input(CLF_IO.label, [batchSize, spec.numClasses])
  const loss = softmaxCrossEntropy(g, classifierLogits(g, spec, x, init), y)
  addOptimizerStep(g, loss, adam)
  g.output(loss, CLF_IO.loss)
  const info: ParamInfo[] = g.params().map((p) => ({ name: p.value.name, shape: p.value.shape as number[], init: p.data as Float32Array }))
  return { model: graphModel(g, 'latentype-classifier-step', { paramsAsInputs: true }), params: info }
}

/**
 * The standalone classifier (image → logits, weights inside) with `metadata` in metadata_props; with `features`,
 * also the penultimate features as a second output (what precision/recall are measured in).
 */
export function buildClassifierModel(spec: ClassifierSpec, init: Init, metadata: Record<string, string>, o: { features?: boolean } = {}): Uint8Array {
  const g = new Graph()
  const S = spec.imageSize
  const heads = classifierHeads(g, spec, g.input(CLF_IO.image, ['N', 1, S, S]), init)
  g.output(heads.logits, CLF_IO.logits)
  if (o.features) g.output(heads.features, CLF_IO.features)
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImports: [{ domain: '', version: OPSET }],
    producerName: 'latentype',
    producerVersion: SDK_VERSION,
    docString: `latentype evaluation classifier (${spec.numClasses} classes, ${S}×${S})`,
    graph: g.toProto('latentype-classifier'),
    metadata,
  })
}
