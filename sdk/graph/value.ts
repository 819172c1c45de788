/**
 * The graph builder's value types and attribute constructors. A leaf module (it imports only types), so the op
 * rules (sdk/graph/ops) and the builder (sdk/graph/graph.ts) can both depend on it without an import cycle.
 */
import type { AttributeValue, Dim } from '../onnx/model-proto.js'

export type DType = 'float32' | 'int64' | 'bool'

/** A named tensor in a graph. */
export interface Value {
  readonly name: string
  readonly shape: readonly Dim[]
  readonly dtype: DType
}

export type Attrs = Record<string, AttributeValue>

/** Attribute constructors: ONNX distinguishes int and float attributes, so say which. */
export const attr = {
  i: (value: number): AttributeValue => ({ type: 'int', value }),
  f: (value: number): AttributeValue => ({ type: 'float', value }),
  ints: (value: number[]): AttributeValue => ({ type: 'ints', value }),
  floats: (value: number[]): AttributeValue => ({ type: 'floats', value }),
  s: (value: string): AttributeValue => ({ type: 'string', value }),
}
