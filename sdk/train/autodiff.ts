/**
 * Reverse-mode automatic differentiation over a built {@link Graph}: walks the nodes between the parameters
 * and a scalar loss backwards, asks each op's rule (sdk/graph/ops, `backward`) for its input gradients and
 * emits them as ordinary ONNX nodes into the same graph. A value used several times gets the sum of its
 * gradients (Add). The result runs on any ONNX runtime: there are no training ops.
 *
 * @example
 * ```ts
 * const g = new Graph()
 * const x = g.input('x', [4, 3])
 * const y = dense(g, x, 3, 2, heInit(1), 'fc')
 * const loss = g.op('ReduceSum', [g.op('Mul', [y, y])], { keepdims: attr.i(0) })
 * const grads = gradients(g, loss, g.params().map((p) => p.value))
 * grads.forEach((dw, name) => g.output(dw, `grad/${name}`))
 * ```
 */
import { LatentypeError } from '../errors.js'
import { attr, type Graph, type Value } from '../graph/graph.js'
import { opRule, type GradOptions } from '../graph/ops/index.js'
import { numel } from '../graph/ops/rule.js'

/** Emits dLoss/dw for each of `wrt` into `g`; returns them by value name. `loss` must have one element. */
export function gradients(g: Graph, loss: Value, wrt: readonly Value[], options: GradOptions = {}): Map<string, Value> {
  if (numel(loss.shape) !== 1) throw new LatentypeError('BAD_ARGUMENT', `loss "${loss.name}" has shape [${loss.shape}] — reduce it to one value (ReduceSum/ReduceMean) before differentiating`)
  const nodes = g.nodes.slice()
  // forward: values that depend on a parameter
  const active = new Set(wrt.map((w) => w.name))
  for (const n of nodes) if (n.inputs.some((v) => active.has(v.name))) for (const o of n.outputs) active.add(o.name)
  // backward: values the loss depends on
  const reaches = new Set([loss.name])
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!
    if (n.outputs.some((o) => reaches.has(o.name))) for (const v of n.inputs) reaches.add(v.name)
  }
  const pending = new Map<string, Value[]>()
  const add = (name: string, d: Value): void => {
    const list = pending.get(name)
    if (list) list.push(d)
    else pending.set(name, [d])
  }
  return g.scope('grad', () => {
    const total = (v: Value): Value | undefined => {
      const list = pending.get(v.name)
      if (!list) return undefined
      let sum = list[0]!
      for (let k = 1; k < list.length; k++) sum = g.op('Add', [sum, list[k]!], {}, 'accumulate')
      pending.set(v.name, [sum])
      return sum
    }
    const composite = new Map(g.composites.map((c) => [c.last, c]))
    add(loss.name, loss.shape.length === 0 ? g.scalar(1, 'seed') : g.constant(Float32Array.of(1), loss.shape as number[], 'seed'))
    for (let i = nodes.length - 1; i >= 0; i--) {
      const c = composite.get(i)
      if (c) {
        // a stretch with a hand-written gradient (Graph.withGradient): one call for all its nodes
        i = c.first
        const dOut = c.outputs.map((o) => (reaches.has(o.name) && active.has(o.name) ? total(o) : undefined))
        const needs = c.inputs.map((v) => active.has(v.name) && v.dtype === 'float32')
        if (dOut.every((d) => d === undefined) || !needs.some(Boolean)) continue
        const dIn = g.scope(nodes[c.last]!.proto.name, () => c.backward(dOut, needs))
        c.inputs.forEach((v, k) => {
          const d = dIn[k]
          if (needs[k] && d) add(v.name, d)
        })
        continue
      }
      const node = nodes[i]!
      if (!node.outputs.some((o) => reaches.has(o.name) && active.has(o.name))) continue
      const dOut = node.outputs.map(total)
      if (dOut.every((d) => d === undefined)) continue
      const needs = node.inputs.map((v) => active.has(v.name) && v.dtype === 'float32')
      if (!needs.some(Boolean)) continue
      const rule = opRule(node.proto.opType)
      if (!rule.backward) throw new LatentypeError('BAD_ARGUMENT', `op ${node.proto.opType} (node "${node.proto.name}") has no gradient rule — add backward() beside its forward in sdk/graph/ops`)
      const dIn = g.scope(node.proto.name, () => rule.backward!({ g, node, dOut, needs, options }))
      node.inputs.forEach((v, k) => {
        const d = dIn[k]
        if (needs[k] && d) add(v.name, d)
      })
    }
    const out = new Map<string, Value>()
    for (const w of wrt) {
      const d = total(w)
      if (d) out.set(w.name, d)
      else {
        // no path from w to the loss: the gradient is zero
        const n = numel(w.shape)
        out.set(w.name, g.constant(new Float32Array(n), w.shape as number[], 'zero_grad'))
      }
    }
    return out
  })
}

/** Σ over all elements, as a scalar. */
export function sumAll(g: Graph, v: Value): Value {
  return g.op('ReduceSum', [v], { keepdims: attr.i(0) })
}
