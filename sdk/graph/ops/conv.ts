/** 2-D convolution and transposed convolution (NCHW, group 1). */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph } from '../graph.js'
import { attr, type Attrs, type Value } from '../value.js'
import { convWeightGrad, type ConvGeometry } from './conv-grad.js'
import { convInputGrad } from './conv-input-grad.js'
import { toNhwc } from './im2col.js'
import type { OpRule } from './rule.js'
import { intAttr, intsAttr, numel, ShapeError } from './rule.js'

function geometry(w: Value, attrs: Attrs, op: string): ConvGeometry {
  if (intsAttr(attrs, 'dilations', [1, 1]).some((d) => d !== 1) || intAttr(attrs, 'group', 1) !== 1) throw new Error(`${op} gradient supports dilation 1, group 1 only`)
  const [s0, s1] = intsAttr(attrs, 'strides', [1, 1])
  const [p0, p1, p2, p3] = intsAttr(attrs, 'pads', [0, 0, 0, 0])
  return { kernel: [numel([w.shape[2]!]), numel([w.shape[3]!])], strides: [s0!, s1!], pads: [p0!, p1!, p2!, p3!] }
}

const convAttrs = (geo: ConvGeometry): Attrs => ({ kernel_shape: attr.ints(geo.kernel), strides: attr.ints(geo.strides), pads: attr.ints(geo.pads) })

/** dB of a conv: Σ over batch and pixels. */
const biasGrad = (g: Graph, dy: Value): Value => g.op('ReduceSum', [dy, g.int64([0, 2, 3], 'axes')], { keepdims: attr.i(0) })

function spatial(inp: Dim, k: number, s: number, p0: number, p1: number, d: number, transposed: boolean, outPad = 0): Dim {
  if (typeof inp !== 'number') throw new ShapeError('conv spatial dims must be static')
  const ek = d * (k - 1) + 1
  return transposed ? s * (inp - 1) + outPad + ek - p0 - p1 : Math.floor((inp + p0 + p1 - ek) / s) + 1
}

/** Output H, W of a (transposed) conv from X's H, W, the kernel in W and the attributes. */
function outputSpatial(x: Value, w: Value, attrs: Attrs, transposed: boolean): [Dim, Dim] {
  const s = intsAttr(attrs, 'strides', [1, 1])
  const p = intsAttr(attrs, 'pads', [0, 0, 0, 0])
  const d = intsAttr(attrs, 'dilations', [1, 1])
  const op = transposed ? intsAttr(attrs, 'output_padding', [0, 0]) : [0, 0]
  return [0, 1].map((i) => spatial(x.shape[2 + i]!, numel([w.shape[2 + i]!]), s[i]!, p[i]!, p[i + 2]!, d[i]!, transposed, op[i])) as [Dim, Dim]
}

export const Conv: OpRule = {
  infer: ([x, w], attrs) => {
    if (!x || !w || x.shape.length !== 4 || w.shape.length !== 4) throw new ShapeError('Conv needs 4-D X and W')
    if (x.shape[1] !== w.shape[1]) throw new ShapeError(`Conv channels: X has ${x.shape[1]}, W expects ${w.shape[1]}`)
    return [{ shape: [x.shape[0]!, w.shape[0]!, ...outputSpatial(x, w, attrs, false)], dtype: x.dtype }]
  },
  // dX: the transposed convolution of dY (conv-input-grad.ts); dW: conv-grad.ts; dB = Σ dY. Both gradients may
  // read dY in NHWC: one Transpose, made when first asked for.
  backward: ({ g, node: { inputs: [x, w, b], proto }, dOut: [dy], needs, options }) => {
    const geo = geometry(w!, proto.attributes, 'Conv')
    let nhwc: Value | undefined
    const dyNhwc = (): Value => (nhwc ??= toNhwc(g, dy!))
    const dx = needs[0] ? convInputGrad(g, x!, w!, dy!, geo, options?.convInputGrad, dyNhwc) : undefined
    const dw = needs[1] ? convWeightGrad(g, x!, dy!, geo, options?.convWeightGrad, dyNhwc) : undefined
    return [dx, dw, b && needs[2] ? biasGrad(g, dy!) : undefined]
  },
}

export const ConvTranspose: OpRule = {
  infer: ([x, w], attrs) => {
    if (!x || !w || x.shape.length !== 4 || w.shape.length !== 4) throw new ShapeError('ConvTranspose needs 4-D X and W')
    if (x.shape[1] !== w.shape[0]) throw new ShapeError(`ConvTranspose channels: X has ${x.shape[1]}, W expects ${w.shape[0]}`)
    return [{ shape: [x.shape[0]!, w.shape[1]!, ...outputSpatial(x, w, attrs, true)], dtype: x.dtype }]
  },
  // ConvTranspose is the adjoint of Conv: dX = Conv(dY, W); dW is Conv's weight gradient with the roles of
  // input and output gradient swapped (dY plays the conv input, X the output gradient); dB = Σ dY
  backward: ({ g, node: { inputs: [x, w, b], proto }, dOut: [dy], needs, options }) => {
    if (intsAttr(proto.attributes, 'output_padding', [0, 0]).some((p) => p !== 0)) throw new Error('ConvTranspose gradient supports output_padding 0 only')
    const geo = geometry(w!, proto.attributes, 'ConvTranspose')
    const dx = needs[0] ? g.op('Conv', [dy!, w!], convAttrs(geo), 'dx_conv') : undefined
    const dw = needs[1] ? convWeightGrad(g, dy!, x!, geo, options?.convWeightGrad) : undefined
    return [dx, dw, b && needs[2] ? biasGrad(g, dy!) : undefined]
  },
}
