/**
 * LogSoftmax along one axis (opset 13+: `axis`, default −1), with its gradient. Used by the softmax
 * cross-entropy of the evaluation classifier (sdk/eval/classifier-graph.ts).
 */
import { attr } from '../value.js'
import type { OpRule } from './rule.js'
import { intAttr, same } from './rule.js'

// y = x − log Σ exp(x)  ⇒  dX = dY − softmax(x)·Σ_axis dY, with softmax(x) = exp(y)
export const LogSoftmax: OpRule = {
  infer: ([x]) => same(x!),
  backward: ({ g, node: { inputs: [x], outputs: [y], proto }, dOut: [dy] }) => {
    const rank = x!.shape.length
    const axis = intAttr(proto.attributes, 'axis', -1)
    const total = g.op('ReduceSum', [dy!, g.int64([axis < 0 ? axis + rank : axis], 'axes')], { keepdims: attr.i(1) })
    return [g.op('Sub', [dy!, g.op('Mul', [g.op('Exp', [y!]), total])])]
  },
}
