/**
 * Helpers shared by the gradient rules: undoing broadcasting, reshaping a gradient back to an input's shape,
 * broadcasting a reduced gradient back out. Every helper emits ordinary ONNX ops through the graph.
 */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'

const zeros = new WeakMap<Graph, Value>()
const ones = new WeakMap<Graph, Value>()

/** A shared float scalar 0 (one initializer per graph). */
export function zero(g: Graph): Value {
  let z = zeros.get(g)
  if (!z) zeros.set(g, (z = g.scalar(0, 'zero')))
  return z
}

/** A shared float scalar 1. */
export function one(g: Graph): Value {
  let o = ones.get(g)
  if (!o) ones.set(g, (o = g.scalar(1, 'one')))
  return o
}

export const sameShape = (a: readonly Dim[], b: readonly Dim[]): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/**
 * A Reshape target for `shape`: static dims as numbers, a symbolic dim as 0 (copy) when `from` has the same
 * symbol at the same index, else -1 (at most one such dim).
 */
export function reshapeTarget(from: readonly Dim[], shape: readonly Dim[]): number[] {
  let minus = false
  return shape.map((d, i) => {
    if (typeof d === 'number') return d
    if (from[i] === d) return 0
    if (minus) throw new Error(`cannot reshape [${from}] to [${shape}]: two symbolic dims move`)
    minus = true
    return -1
  })
}

/** Reshapes `v` to `shape` (no node when it already has it). */
export function reshapeTo(g: Graph, v: Value, shape: readonly Dim[]): Value {
  if (sameShape(v.shape, shape)) return v
  return g.op('Reshape', [v, g.int64(reshapeTarget(v.shape, shape), 'shape')])
}

/** Sums a broadcast gradient `d` back down to `target`'s shape (the adjoint of numpy broadcasting). */
export function unbroadcast(g: Graph, d: Value, target: Value): Value {
  if (sameShape(d.shape, target.shape)) return d
  const lead = d.shape.length - target.shape.length
  const axes: number[] = []
  for (let i = 0; i < d.shape.length; i++) {
    if (i < lead) axes.push(i)
    else if (target.shape[i - lead] === 1 && d.shape[i] !== 1) axes.push(i)
  }
  const r = axes.length ? g.op('ReduceSum', [d, g.int64(axes, 'axes')], { keepdims: attr.i(1) }) : d
  return reshapeTo(g, r, target.shape)
}

/** Broadcasts `d` (the gradient of a reduction with `keepdims` shape) out to `like`'s shape. */
export function expandTo(g: Graph, d: Value, like: Value): Value {
  if (sameShape(d.shape, like.shape)) return d
  const shape = like.shape.every((s) => typeof s === 'number') ? g.int64(like.shape as number[], 'shape') : g.op('Shape', [like])
  return g.op('Expand', [d, shape])
}

/** `dY · where(cond, 1, 0)` as one Where node. */
export function mask(g: Graph, cond: Value, d: Value): Value {
  return g.op('Where', [cond, d, zero(g)])
}

/**
 * The inverse of an index table into `rows` rows: `inverse[r·m + t]` is the t-th position k with index[k] = r,
 * padded to the largest count m with `pad` (the caller points it at a zero row). Indices ≥ rows (a zero row outside
 * the table) are left out. Gather by the inverse + a sum over t is the adjoint of Gather by the index.
 */
export function invertIndex(index: ArrayLike<number>, rows: number, pad: number): { inverse: BigInt64Array; m: number } {
  const count = new Int32Array(rows)
  for (let k = 0; k < index.length; k++) if (index[k]! < rows) count[index[k]!]!++
  const m = count.reduce((a, c) => Math.max(a, c), 1)
  const inverse = new BigInt64Array(rows * m).fill(BigInt(pad))
  count.fill(0)
  for (let k = 0; k < index.length; k++) {
    const r = index[k]!
    if (r < rows) inverse[r * m + count[r]!++] = BigInt(k)
  }
  return { inverse, m }
}
