/**
 * Layers as compositions of ops. Each takes the graph, an input value and an {@link Init} that supplies
 * weights by their full scoped name — random (He) for a new model, or trained values for export.
 */
import { Rng } from '../random.js'
import { conv2dGather, convTranspose2dGather, lowering, type ConvImpl } from './conv-gemm.js'
import { toNchw, toNhwc, type ConvGeometry } from './ops/im2col.js'
import { attr, type Graph, type Value } from './graph.js'
import { numel } from './ops/rule.js'

/** Supplies a weight tensor for a parameter, given its full name, shape and fan-in. */
export type Init = (fullName: string, shape: number[], fanIn: number, role: 'weight' | 'bias') => Float32Array

/**
 * He-uniform weights (bound √(6 / ((1+α²)·fanIn))), zero biases; each tensor is seeded from `seed` and a hash
 * of its name, so adding a layer does not change the others' initial values.
 */
export function heInit(seed: number, alpha = 0.2): Init {
  return (fullName, shape, fanIn, role) => {
    const n = shape.reduce((a, b) => a * b, 1)
    const out = new Float32Array(n)
    if (role === 'bias') return out
    const rng = new Rng((seed ^ hashName(fullName)) >>> 0)
    const bound = Math.sqrt(6 / ((1 + alpha * alpha) * fanIn))
    for (let i = 0; i < n; i++) out[i] = (rng.uniform() * 2 - 1) * bound
    return out
  }
}

/** Weights looked up by name (e.g. from a checkpoint); throws when one is missing or has the wrong size. */
export function fromWeights(weights: ReadonlyMap<string, Float32Array>): Init {
  return (fullName, shape) => {
    const w = weights.get(fullName)
    const n = shape.reduce((a, b) => a * b, 1)
    if (!w) throw new Error(`no weight named "${fullName}" — the checkpoint was made from a different CvaeSpec`)
    if (w.length !== n) throw new Error(`weight "${fullName}" has ${w.length} values, spec needs [${shape}]`)
    return w
  }
}

/** FNV-1a hash of a string, 32-bit. */
export function hashName(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export type Activation = { type: 'relu' } | { type: 'leaky_relu'; alpha: number } | { type: 'none' }

export function activate(g: Graph, x: Value, act: Activation): Value {
  if (act.type === 'relu') return g.op('Relu', [x])
  if (act.type === 'leaky_relu') return g.op('LeakyRelu', [x], { alpha: attr.f(act.alpha) })
  return x
}

/** y = x·Wᵀ + b, W is [out, in] (PyTorch layout), one Gemm with transB. */
export function dense(g: Graph, x: Value, inFeatures: number, outFeatures: number, init: Init, name: string, bias = true): Value {
  return g.scope(name, () => {
    const w = g.param('W', [outFeatures, inFeatures], (n) => init(n, [outFeatures, inFeatures], inFeatures, 'weight'))
    const inputs = [x, w]
    if (bias) inputs.push(g.param('b', [outFeatures], (n) => init(n, [outFeatures], inFeatures, 'bias')))
    return g.op('Gemm', inputs, { transB: attr.i(1) })
  })
}

export interface ConvOptions {
  kernel: number
  stride: number
  pad: number
  /** How the convolution is emitted (sdk/graph/conv-gemm.ts); default the ONNX op. Same weights either way. */
  impl?: ConvImpl
}

/** Lowering needs static shapes (a numeric batch): graphs with a symbolic batch keep the ONNX op. */
const implFor = (o: ConvOptions, x: FeatureMap): ConvImpl | undefined => (typeof x.value.shape[0] === 'number' ? o.impl : undefined)

const geometry = (o: ConvOptions): ConvGeometry => ({ kernel: [o.kernel, o.kernel], strides: [o.stride, o.stride], pads: [o.pad, o.pad, o.pad, o.pad] })
const onnxAttrs = (o: ConvOptions) => ({ kernel_shape: attr.ints([o.kernel, o.kernel]), strides: attr.ints([o.stride, o.stride]), pads: attr.ints([o.pad, o.pad, o.pad, o.pad]) })

/**
 * A feature map and its memory layout. ONNX Conv/ConvTranspose take NCHW; Gemm-lowered convolutions
 * (sdk/graph/conv-gemm.ts) work in NHWC, and consecutive ones hand NHWC to each other so no Transpose sits between them.
 */
export interface FeatureMap {
  value: Value
  layout: 'nchw' | 'nhwc'
}

export const nchw = (value: Value): FeatureMap => ({ value, layout: 'nchw' })

/** The map's value in the given layout (a Transpose when it differs). */
export function inLayout(g: Graph, f: FeatureMap, layout: FeatureMap['layout']): Value {
  if (f.layout === layout) return f.value
  return layout === 'nhwc' ? toNhwc(g, f.value) : toNchw(g, f.value)
}

/** [height, width] of a feature map. */
export function spatial(f: FeatureMap): number[] {
  const d = f.layout === 'nchw' ? f.value.shape.slice(2) : f.value.shape.slice(1, 3)
  return d.map((v) => numel([v]))
}

export function activateMap(g: Graph, f: FeatureMap, act: Activation): FeatureMap {
  return { value: activate(g, f.value, act), layout: f.layout }
}

/** 2-D convolution, W is [out, in, k, k]; NCHW in and out. */
export function conv2d(g: Graph, x: Value, inCh: number, outCh: number, o: ConvOptions, init: Init, name: string): Value {
  return inLayout(g, convLayer(g, nchw(x), inCh, outCh, o, init, name), 'nchw')
}

/** 2-D convolution on a feature map; the result is NHWC when the layer was lowered to a Gemm. */
export function convLayer(g: Graph, x: FeatureMap, inCh: number, outCh: number, o: ConvOptions, init: Init, name: string): FeatureMap {
  return g.scope(name, () => {
    const shape = [outCh, inCh, o.kernel, o.kernel]
    const fanIn = inCh * o.kernel * o.kernel
    const w = g.param('W', shape, (n) => init(n, shape, fanIn, 'weight'))
    const b = g.param('b', [outCh], (n) => init(n, [outCh], fanIn, 'bias'))
    const geo = geometry(o)
    const out = spatial(x).map((d) => (d + 2 * o.pad - o.kernel) / o.stride + 1)
    const lower = lowering(implFor(o, x), spatial(x), out, inCh, geo)
    if (lower) return { value: conv2dGather(g, inLayout(g, x, 'nhwc'), w, b, geo, lower === 'blocks'), layout: 'nhwc' }
    return nchw(g.op('Conv', [inLayout(g, x, 'nchw'), w, b], onnxAttrs(o)))
  })
}

/** 2-D transposed convolution on a feature map, W is [in, out, k, k] (ONNX/PyTorch layout); the result is NHWC when the layer was lowered to a Gemm. */
export function convTransposeLayer(g: Graph, x: FeatureMap, inCh: number, outCh: number, o: ConvOptions, init: Init, name: string): FeatureMap {
  return g.scope(name, () => {
    const shape = [inCh, outCh, o.kernel, o.kernel]
    // fan-in of a transposed conv seen from one output pixel: inCh·k²/stride²
    const fanIn = (inCh * o.kernel * o.kernel) / (o.stride * o.stride)
    const w = g.param('W', shape, (n) => init(n, shape, fanIn, 'weight'))
    const b = g.param('b', [outCh], (n) => init(n, [outCh], fanIn, 'bias'))
    const geo = geometry(o)
    const out = spatial(x).map((d) => (d - 1) * o.stride + o.kernel - 2 * o.pad)
    const lower = lowering(implFor(o, x), out, spatial(x), outCh, geo)
    if (lower) return { value: convTranspose2dGather(g, inLayout(g, x, 'nhwc'), w, b, geo, lower === 'blocks'), layout: 'nhwc' }
    return nchw(g.op('ConvTranspose', [inLayout(g, x, 'nchw'), w, b], onnxAttrs(o)))
  })
}

/** Adds a learned per-class, per-channel bias: x[n,c,h,w] += (onehot[n,:] · E)[c], in the map's layout. */
export function classBias(g: Graph, x: FeatureMap, onehot: Value, numClasses: number, channels: number, init: Init, name: string): FeatureMap {
  return g.scope(name, () => {
    const e = g.param('E', [numClasses, channels], (n) => init(n, [numClasses, channels], numClasses, 'bias'))
    const bias = g.op('Gemm', [onehot, e])
    const b4 = g.op('Reshape', [bias, g.int64(x.layout === 'nchw' ? [0, channels, 1, 1] : [0, 1, 1, channels], 'shape')])
    return { value: g.op('Add', [x.value, b4]), layout: x.layout }
  })
}
