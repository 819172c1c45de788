/** Reductions (opset 17: ReduceSum takes axes as an input, ReduceMean as an attribute), with gradients. */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph } from '../graph.js'
import type { Value } from '../value.js'
import { expandTo, reshapeTo } from './grad.js'
import type { OpRule } from './rule.js'
import { intAttr, intsAttr, numel } from './rule.js'

function axisSet(x: Value, axes: number[]): Set<number> {
  const rank = x.shape.length
  return new Set((axes.length ? axes : [...x.shape.keys()]).map((a) => (a < 0 ? a + rank : a)))
}

function reduced(x: Value, axes: number[], keep: boolean): Dim[] {
  const set = axisSet(x, axes)
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

/** dX of a reduction: dY reshaped to the keepdims shape, broadcast back over the reduced axes. */
function spread(g: Graph, x: Value, dy: Value, axes: number[]): Value {
  return expandTo(g, reshapeTo(g, dy, reduced(x, axes, true)), x)
}

export const ReduceSum: OpRule = {
  infer: ([x, axes], attrs, g) => [{ shape: reduced(x!, axesInput(g, axes), intAttr(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }],
  // d Σx = dY broadcast
  backward: ({ g, node: { inputs: [x, axes] }, dOut: [dy] }) => [spread(g, x!, dy!, axesInput(g, axes)), undefined],
}

export const ReduceMean: OpRule = {
  infer: ([x], attrs) => [{ shape: reduced(x!, intsAttr(attrs, 'axes', []), intAttr(attrs, 'keepdims', 1) === 1), dtype: x!.dtype }],
  // d mean(x) = dY broadcast / count (reduced dims must be static)
  backward: ({ g, node: { inputs: [x], proto }, dOut: [dy] }) => {
    const axes = intsAttr(proto.attributes, 'axes', [])
    const count = numel([...axisSet(x!, axes)].map((a) => x!.shape[a]!))
    return [spread(g, x!, g.op('Div', [dy!, g.scalar(count, 'count')]), axes)]
  },
}
