/** Reductions (opset 17: ReduceSum takes axes as an input, ReduceMean as an attribute). */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph, Value } from '../graph.js'
import type { OpRule } from './rule.js'
import { intAttr, intsAttr } from './rule.js'

function reduced(x: Value, axes: number[], keep: boolean): Dim[] {
  const rank = x.shape.length
  const set = new Set((axes.length ? axes : [...x.shape.keys()]).map((a) => (a < 0 ? a + rank : a)))
  const out: Dim[] = []
  x.shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d)
    else if (keep) out.push(1)
  })
  return out
}

function axesInput(g: Graph, v: Value | undefined): number[] {
  const data = v && g.constantData(v)
  return data instanceof BigInt64Array ? Array.from(data, Number) : []
}

export const ReduceSum: OpRule = {
  infer: ([x, axes], attrs, g) => [{ shape: reduced(x!, axesInput(g, axes), intAttr(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }],
}

export const ReduceMean: OpRule = {
  infer: ([x], attrs) => [{ shape: reduced(x!, intsAttr(attrs, 'axes', []), intAttr(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }],
}
