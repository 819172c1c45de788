/**
 * The contract of an op: shape inference for the forward pass, and (for ops used in training) the
 * gradient rule, written beside it in the same file. sdk/train's autodiff calls `backward`.
 */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph, GraphNode } from '../graph.js'
import type { Attrs, DType, Value } from '../value.js'

export interface InferredValue {
  shape: Dim[]
  dtype: DType
}

export interface GradContext {
  readonly g: Graph
  readonly node: GraphNode
  /** dLoss/d(output k); undefined when output k does not influence the loss. */
  readonly dOut: readonly (Value | undefined)[]
  /** needs[k]: whether dLoss/d(input k) is wanted (it leads to a parameter); rules skip the others. */
  readonly needs: readonly boolean[]
  /** Choices that change how gradients are computed, not what they are. */
  readonly options?: GradOptions
}

export interface GradOptions {
  /** How conv weight gradients are computed (sdk/graph/ops/conv-grad.ts); default 'auto'. */
  convWeightGrad?: import('./conv-grad.js').ConvWeightGrad
  /** How the input gradients of convolutions kept as ONNX Conv are computed (sdk/graph/ops/conv-input-grad.ts); default 'auto'. */
  convInputGrad?: import('./conv-input-grad.js').ConvInputGrad
}

export interface OpRule {
  /** Output shapes and types from the inputs; throws on inconsistent shapes. */
  infer(inputs: readonly Value[], attrs: Attrs, g: Graph): InferredValue[]
  /** Emits the gradient nodes and returns dLoss/d(input k) (undefined for non-differentiable inputs). */
  backward?(ctx: GradContext): (Value | undefined)[]
}

export class ShapeError extends Error {}

export function intAttr(attrs: Attrs, name: string, fallback: number): number {
  const a = attrs[name]
  if (!a) return fallback
  if (a.type !== 'int') throw new ShapeError(`attribute ${name} must be an int`)
  return a.value
}

export function intsAttr(attrs: Attrs, name: string, fallback: number[]): number[] {
  const a = attrs[name]
  if (!a) return fallback
  if (a.type !== 'ints') throw new ShapeError(`attribute ${name} must be ints`)
  return a.value
}

export function floatAttr(attrs: Attrs, name: string, fallback: number): number {
  const a = attrs[name]
  if (!a) return fallback
  if (a.type !== 'float') throw new ShapeError(`attribute ${name} must be a float`)
  return a.value
}

/** Numpy-style broadcast of two shapes; symbolic dims must match by name or meet a 1. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const n = Math.max(a.length, b.length)
  const out: Dim[] = []
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da === db || db === 1) out.push(da)
    else if (da === 1) out.push(db)
    else throw new ShapeError(`cannot broadcast [${a}] with [${b}]`)
  }
  return out
}

export function same(x: Value): InferredValue[] {
  return [{ shape: [...x.shape], dtype: x.dtype }]
}

/** Product of static dims (throws on symbolic dims). */
export function numel(shape: readonly Dim[]): number {
  let n = 1
  for (const d of shape) {
    if (typeof d !== 'number') throw new ShapeError(`dimension "${d}" is symbolic`)
    n *= d
  }
  return n
}
