/**
 * A typed ONNX graph builder. Values carry static shapes (with symbolic dims such as "N"); every op goes
 * through its {@link OpRule} (sdk/graph/ops), which infers output shapes and — for training — states its
 * gradient. Layers (sdk/graph/layers.ts) are compositions of ops; the CVAE (sdk/model/cvae.ts) is
 * a composition of layers.
 */
import { DataType, type AttributeValue, type Dim, type GraphProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../onnx/model-proto.js'
import { opRule } from './ops/index.js'
import type { Attrs, DType, Value } from './value.js'

export { attr, type Attrs, type DType, type Value } from './value.js'

/** A node as built: the proto plus typed handles to its values. */
export interface GraphNode {
  readonly proto: NodeProto
  readonly inputs: readonly Value[]
  readonly outputs: readonly Value[]
}

/**
 * Nodes with one hand-written gradient: autodiff (sdk/train/autodiff.ts) skips the nodes first..last and calls
 * `backward` with the gradients of `outputs`; it returns the gradients of `inputs` (undefined where not needed).
 */
export interface Composite {
  readonly first: number
  readonly last: number
  readonly inputs: readonly Value[]
  readonly outputs: readonly Value[]
  readonly backward: (dOut: readonly (Value | undefined)[], needs: readonly boolean[]) => (Value | undefined)[]
}

export interface InitializerData {
  readonly value: Value
  readonly data: Float32Array | BigInt64Array
  /** True for weights the optimizer updates. */
  readonly trainable: boolean
}

const ELEM: Record<DType, number> = { float32: DataType.FLOAT, int64: DataType.INT64, bool: DataType.BOOL }

export class Graph {
  readonly nodes: GraphNode[] = []
  readonly inputs: Value[] = []
  readonly outputs: Value[] = []
  readonly initializers = new Map<string, InitializerData>()
  readonly composites: Composite[] = []
  /** Node outputs published under another name (Graph.output): renamed when the proto is written. */
  private readonly aliases = new Map<string, string>()
  private readonly values = new Map<string, Value>()
  private readonly used = new Set<string>()
  private readonly producers = new Map<string, GraphNode>()
  private counter = 0
  private scopes: string[] = []
  private shareParams = false

  /** Runs `build` with names prefixed by `scope/` (e.g. "dec/conv1"). */
  scope<T>(name: string, build: () => T): T {
    this.scopes.push(name)
    try {
      return build()
    } finally {
      this.scopes.pop()
    }
  }

  /** A fresh, unique value name under the current scope. */
  uniqueName(base: string): string {
    const prefix = this.scopes.length ? this.scopes.join('/') + '/' : ''
    let name = prefix + base
    while (this.used.has(name)) name = `${prefix}${base}_${++this.counter}`
    this.used.add(name)
    return name
  }

  private register(name: string, shape: readonly Dim[], dtype: DType): Value {
    if (this.values.has(name)) throw new Error(`graph value "${name}" defined twice`)
    this.used.add(name)
    const v: Value = { name, shape: [...shape], dtype }
    this.values.set(name, v)
    return v
  }

  value(name: string): Value {
    const v = this.values.get(name)
    if (!v) throw new Error(`no graph value named "${name}"`)
    return v
  }

  has(name: string): boolean {
    return this.values.has(name)
  }

  /** A graph input with an exact name (names are the public API of a model file). */
  input(name: string, shape: Dim[], dtype: DType = 'float32'): Value {
    const v = this.register(name, shape, dtype)
    this.inputs.push(v)
    return v
  }

  /**
   * Runs `build` so that each {@link param} whose scoped name already exists returns that weight instead of a new
   * one: a second copy of a sub-network (e.g. the decoder inside a gradient graph) reads the same initializers.
   */
  sharingParams<T>(build: () => T): T {
    const was = this.shareParams
    this.shareParams = true
    try {
      return build()
    } finally {
      this.shareParams = was
    }
  }

  /** A trainable weight, stored as an initializer. `name` is scoped; `data` receives the full name. */
  param(name: string, shape: number[], data: Float32Array | ((fullName: string) => Float32Array)): Value {
    if (this.shareParams) {
      const existing = this.initializers.get((this.scopes.length ? this.scopes.join('/') + '/' : '') + name)
      if (existing?.trainable) {
        if (existing.value.shape.join() !== shape.join()) throw new Error(`shared weight "${existing.value.name}" has shape [${existing.value.shape}], not [${shape}]`)
        return existing.value
      }
    }
    const full = this.uniqueName(name)
    return this.initializer(full, shape, typeof data === 'function' ? data(full) : data, true)
  }

  /** A constant tensor (not trained). */
  constant(data: Float32Array | BigInt64Array, shape: number[], name = 'const'): Value {
    return this.initializer(this.uniqueName(name), shape, data, false)
  }

  /** int64 constant, as ONNX wants for shapes, axes and indices. */
  int64(values: number[], name = 'const'): Value {
    return this.constant(BigInt64Array.from(values.map(BigInt)), [values.length], name)
  }

  scalar(value: number, name = 'scalar'): Value {
    return this.constant(Float32Array.of(value), [], name)
  }

  private initializer(name: string, shape: number[], data: Float32Array | BigInt64Array, trainable: boolean): Value {
    const n = shape.reduce((a, b) => a * b, 1)
    if (data.length !== n) throw new Error(`initializer "${name}": ${data.length} values for shape [${shape}]`)
    const value = this.register(name, shape, data instanceof BigInt64Array ? 'int64' : 'float32')
    this.initializers.set(name, { value, data, trainable })
    return value
  }

  /** The constant data of a value, when it is an initializer (used by shape inference for Reshape etc.). */
  constantData(v: Value): Float32Array | BigInt64Array | undefined {
    return this.initializers.get(v.name)?.data
  }

  /** Trainable weights in creation order. */
  params(): InitializerData[] {
    return [...this.initializers.values()].filter((i) => i.trainable)
  }

  /** Emits one ONNX node through its op rule; returns its outputs. */
  node(opType: string, inputs: Value[], attrs: Attrs = {}, name?: string): Value[] {
    const rule = opRule(opType)
    const inferred = rule.infer(inputs, attrs, this)
    const base = name ?? opType.toLowerCase()
    const nodeName = this.uniqueName(base)
    const outputs = inferred.map((o, k) => this.register(inferred.length === 1 ? nodeName + ':0' : `${nodeName}:${k}`, o.shape, o.dtype))
    const proto: NodeProto = { name: nodeName, opType, inputs: inputs.map((v) => v.name), outputs: outputs.map((v) => v.name), attributes: attrs }
    const built: GraphNode = { proto, inputs, outputs }
    this.nodes.push(built)
    for (const o of outputs) this.producers.set(o.name, built)
    return outputs
  }

  /**
   * Builds nodes whose gradient is given by hand (like a custom-gradient function): `build` may read only
   * `inputs`, constants and its own values; `backward` receives dLoss/d(outputs) and the inputs that need a
   * gradient. For a lowering whose autodiff gradient would move more data than a direct formula (sdk/graph/conv-gemm.ts).
   */
  withGradient(inputs: Value[], build: () => Value[], backward: Composite['backward']): Value[] {
    const first = this.nodes.length
    const outputs = build()
    const last = this.nodes.length - 1
    const known = new Set(inputs.map((v) => v.name))
    for (const n of this.nodes.slice(first)) {
      for (const v of n.inputs) {
        if (known.has(v.name)) continue
        const init = this.initializers.get(v.name)
        if (!init) throw new Error(`withGradient: node "${n.proto.name}" reads "${v.name}", which is neither an input of the composite nor made inside it`)
        if (init.trainable) throw new Error(`withGradient: node "${n.proto.name}" reads the weight "${v.name}" — list it in the composite's inputs`)
      }
      for (const o of n.outputs) known.add(o.name)
    }
    if (last >= first) this.composites.push({ first, last, inputs, outputs, backward })
    return outputs
  }

  /** The node that computes `v`, or undefined for inputs and initializers. */
  producer(v: Value): GraphNode | undefined {
    return this.producers.get(v.name)
  }

  /** Single-output shorthand for {@link Graph.node}. */
  op(opType: string, inputs: Value[], attrs: Attrs = {}, name?: string): Value {
    return this.node(opType, inputs, attrs, name)[0]!
  }

  /**
   * Marks a value as a graph output under an exact public name. A node's output is renamed in the written graph
   * (no copy); an input, a constant or a value already published gets an Identity. The returned value carries the
   * public name; read results by it, and keep building from `v`.
   */
  output(v: Value, name?: string): Value {
    let out = v
    if (name !== undefined && name !== v.name) {
      const producer = this.producers.get(v.name)
      const rename = producer !== undefined && !this.aliases.has(v.name) && !this.outputs.some((o) => o.name === v.name)
      out = this.register(name, v.shape, v.dtype)
      if (rename) {
        this.aliases.set(v.name, name)
        this.producers.set(name, producer)
      } else {
        const built: GraphNode = { proto: { name: `${name}/identity`, opType: 'Identity', inputs: [v.name], outputs: [name], attributes: {} }, inputs: [v], outputs: [out] }
        this.nodes.push(built)
        this.producers.set(name, built)
      }
    }
    this.outputs.push(out)
    return out
  }

  /**
   * The ONNX GraphProto for this graph. Initializers are written as raw little-endian bytes. With
   * `paramsAsInputs`, trainable weights become graph inputs (fed each run, as a training step graph needs).
   */
  toProto(name: string, options: { paramsAsInputs?: boolean } = {}): GraphProto {
    const inits = [...this.initializers.values()]
    const asInput = (i: InitializerData): boolean => options.paramsAsInputs === true && i.trainable
    const alias = (n: string): string => this.aliases.get(n) ?? n
    const nodes = this.aliases.size === 0 ? this.nodes.map((n) => n.proto) : this.nodes.map((n) => ({ ...n.proto, inputs: n.proto.inputs.map(alias), outputs: n.proto.outputs.map(alias) }))
    return {
      name,
      nodes,
      initializers: inits.filter((i) => !asInput(i)).map((i) => tensorProto(i.value.name, i.value.shape as number[], i.data)),
      inputs: [...this.inputs, ...inits.filter(asInput).map((i) => i.value)].map(valueInfo),
      outputs: this.outputs.map(valueInfo),
    }
  }
}

export function valueInfo(v: Value): ValueInfoProto {
  return { name: v.name, elemType: ELEM[v.dtype], shape: [...v.shape] }
}

export function tensorProto(name: string, dims: number[], data: Float32Array | BigInt64Array): TensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
  return { name, dataType: data instanceof BigInt64Array ? DataType.INT64 : DataType.FLOAT, dims, rawData: bytes }
}
