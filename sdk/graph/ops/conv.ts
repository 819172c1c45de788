/** 2-D convolution and transposed convolution (NCHW, group 1). */
import type { Dim } from '../../onnx/model-proto.js'
import type { OpRule } from './rule.js'
import { intsAttr, ShapeError } from './rule.js'

function spatial(inp: Dim, k: number, s: number, p0: number, p1: number, d: number, transposed: boolean, outPad = 0): Dim {
  if (typeof inp !== 'number') throw new ShapeError('conv spatial dims must be static')
  const ek = d * (k - 1) + 1
  return transposed ? s * (inp - 1) + outPad + ek - p0 - p1 : Math.floor((inp + p0 + p1 - ek) / s) + 1
}

export const Conv: OpRule = {
  infer: ([x, w], attrs) => {
    if (!x || !w || x.shape.length !== 4 || w.shape.length !== 4) throw new ShapeError('Conv needs 4-D X and W')
    if (x.shape[1] !== w.shape[1]) throw new ShapeError(`Conv channels: X has ${x.shape[1]}, W expects ${w.shape[1]}`)
    const k = [w.shape[2] as number, w.shape[3] as number]
    const s = intsAttr(attrs, 'strides', [1, 1])
    const p = intsAttr(attrs, 'pads', [0, 0, 0, 0])
    const d = intsAttr(attrs, 'dilations', [1, 1])
    return [{
      shape: [x.shape[0]!, w.shape[0]!, spatial(x.shape[2]!, k[0]!, s[0]!, p[0]!, p[2]!, d[0]!, false), spatial(x.shape[3]!, k[1]!, s[1]!, p[1]!, p[3]!, d[1]!, false)],
      dtype: x.dtype,
    }]
  },
}

export const ConvTranspose: OpRule = {
  infer: ([x, w], attrs) => {
    if (!x || !w || x.shape.length !== 4 || w.shape.length !== 4) throw new ShapeError('ConvTranspose needs 4-D X and W')
    if (x.shape[1] !== w.shape[0]) throw new ShapeError(`ConvTranspose channels: X has ${x.shape[1]}, W expects ${w.shape[0]}`)
    const k = [w.shape[2] as number, w.shape[3] as number]
    const s = intsAttr(attrs, 'strides', [1, 1])
    const p = intsAttr(attrs, 'pads', [0, 0, 0, 0])
    const d = intsAttr(attrs, 'dilations', [1, 1])
    const op = intsAttr(attrs, 'output_padding', [0, 0])
    return [{
      shape: [x.shape[0]!, w.shape[1]!, spatial(x.shape[2]!, k[0]!, s[0]!, p[0]!, p[2]!, d[0]!, true, op[0]), spatial(x.shape[3]!, k[1]!, s[1]!, p[1]!, p[3]!, d[1]!, true, op[1])],
      dtype: x.dtype,
    }]
  },
}
