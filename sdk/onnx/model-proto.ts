/**
 * ONNX ModelProto subset (onnx.proto3 field numbers) — the types we write and read, and their codec.
 * Covers what latentype models and training graphs use: graphs, nodes, attributes, tensors (raw_data),
 * value infos with static or symbolic dims, opset imports and metadata_props.
 */
import { ProtoWriter, readFields, decodeString, varintsOf, floatsOf, ProtoDecodeError, type ProtoField } from './protobuf.js'

/** ONNX TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const
export type DataTypeCode = (typeof DataType)[keyof typeof DataType]

export interface TensorProto {
  name: string
  dataType: number
  dims: number[]
  /** Little-endian element bytes (TensorProto.raw_data). */
  rawData: Uint8Array
}

/** A dimension: a fixed size or a symbolic name such as "N". */
export type Dim = number | string

export interface ValueInfoProto {
  name: string
  elemType: number
  /** undefined = unknown rank. */
  shape?: Dim[]
}

export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorProto }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }

export interface NodeProto {
  name: string
  opType: string
  domain?: string
  inputs: string[]
  outputs: string[]
  attributes: Record<string, AttributeValue>
}

export interface GraphProto {
  name: string
  nodes: NodeProto[]
  initializers: TensorProto[]
  inputs: ValueInfoProto[]
  outputs: ValueInfoProto[]
  valueInfo?: ValueInfoProto[]
}

export interface ModelProto {
  irVersion: number
  opsetImports: { domain: string; version: number }[]
  producerName: string
  producerVersion: string
  docString?: string
  graph: GraphProto
  metadata: Record<string, string>
}

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const

// ---------------------------------------------------------------- encode

function writeTensor(w: ProtoWriter, t: TensorProto): void {
  w.packedVarints(1, t.dims)
  w.varint(2, t.dataType)
  w.string(8, t.name)
  w.bytes(9, t.rawData)
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.string(1, v.name)
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, v.elemType)
      if (v.shape) {
        const shape = v.shape
        tensor.message(2, (s) => {
          for (const d of shape) s.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d)))
        })
      }
    }),
  )
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name)
  switch (a.type) {
    case 'float': w.float(2, a.value); w.varint(20, AttrType.FLOAT); break
    case 'int': w.varint(3, a.value); w.varint(20, AttrType.INT); break
    case 'string': w.string(4, a.value); w.varint(20, AttrType.STRING); break
    case 'tensor': w.message(5, (t) => writeTensor(t, a.value)); w.varint(20, AttrType.TENSOR); break
    case 'floats': w.packedFloats(7, a.value); w.varint(20, AttrType.FLOATS); break
    case 'ints': w.packedVarints(8, a.value); w.varint(20, AttrType.INTS); break
  }
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const i of n.inputs) w.string(1, i)
  for (const o of n.outputs) w.string(2, o)
  w.string(3, n.name)
  w.string(4, n.opType)
  for (const [k, a] of Object.entries(n.attributes)) w.message(5, (aw) => writeAttribute(aw, k, a))
  if (n.domain) w.string(7, n.domain)
}

function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.nodes) w.message(1, (nw) => writeNode(nw, n))
  w.string(2, g.name)
  for (const t of g.initializers) w.message(5, (tw) => writeTensor(tw, t))
  for (const v of g.inputs) w.message(11, (vw) => writeValueInfo(vw, v))
  for (const v of g.outputs) w.message(12, (vw) => writeValueInfo(vw, v))
  for (const v of g.valueInfo ?? []) w.message(13, (vw) => writeValueInfo(vw, v))
}

/** Serialises a model to ONNX protobuf bytes. */
export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter()
  w.varint(1, m.irVersion)
  w.string(2, m.producerName)
  w.string(3, m.producerVersion)
  if (m.docString) w.string(6, m.docString)
  w.message(7, (gw) => writeGraph(gw, m.graph))
  for (const o of m.opsetImports) w.message(8, (ow) => { if (o.domain) ow.string(1, o.domain); ow.varint(2, o.version) })
  for (const [key, value] of Object.entries(m.metadata)) w.message(14, (mw) => mw.string(1, key).string(2, value))
  return w.finish()
}

// ---------------------------------------------------------------- decode

const str = (f: ProtoField): string => {
  if (f.wire !== 2) throw new ProtoDecodeError(`field ${f.field}: expected a string`)
  return decodeString(f.value)
}
const int = (f: ProtoField): number => varintsOf(f)[0]!
const sub = (f: ProtoField): Uint8Array => {
  if (f.wire !== 2) throw new ProtoDecodeError(`field ${f.field}: expected a message`)
  return f.value
}

function readTensor(bytes: Uint8Array): TensorProto {
  const t: TensorProto = { name: '', dataType: 0, dims: [], rawData: new Uint8Array(0) }
  const floatData: number[] = []
  for (const f of readFields(bytes)) {
    if (f.field === 1) t.dims.push(...varintsOf(f))
    else if (f.field === 2) t.dataType = int(f)
    else if (f.field === 4) floatData.push(...floatsOf(f))
    else if (f.field === 8) t.name = str(f)
    else if (f.field === 9) t.rawData = sub(f).slice()
  }
  if (floatData.length > 0 && t.rawData.length === 0) t.rawData = new Uint8Array(new Float32Array(floatData).buffer)
  return t
}

function readValueInfo(bytes: Uint8Array): ValueInfoProto {
  const v: ValueInfoProto = { name: '', elemType: 0 }
  for (const f of readFields(bytes)) {
    if (f.field === 1) v.name = str(f)
    else if (f.field === 2) {
      for (const tf of readFields(sub(f))) {
        if (tf.field !== 1) continue
        for (const tt of readFields(sub(tf))) {
          if (tt.field === 1) v.elemType = int(tt)
          else if (tt.field === 2) {
            v.shape = []
            for (const d of readFields(sub(tt))) {
              if (d.field !== 1) continue
              let dim: Dim = '?'
              for (const df of readFields(sub(d))) dim = df.field === 1 ? int(df) : df.field === 2 ? str(df) : dim
              v.shape.push(dim)
            }
          }
        }
      }
    }
  }
  return v
}

function readAttribute(bytes: Uint8Array): [string, AttributeValue] {
  let name = ''
  let type = 0
  const raw: Partial<Record<number, ProtoField[]>> = {}
  for (const f of readFields(bytes)) {
    if (f.field === 1) name = str(f)
    else if (f.field === 20) type = int(f)
    else (raw[f.field] ??= []).push(f)
  }
  const one = (k: number): ProtoField => {
    const f = raw[k]?.[0]
    if (!f) throw new ProtoDecodeError(`attribute ${name}: missing value`)
    return f
  }
  switch (type) {
    case AttrType.FLOAT: return [name, { type: 'float', value: floatsOf(one(2))[0]! }]
    case AttrType.INT: return [name, { type: 'int', value: int(one(3)) }]
    case AttrType.STRING: return [name, { type: 'string', value: str(one(4)) }]
    case AttrType.TENSOR: return [name, { type: 'tensor', value: readTensor(sub(one(5))) }]
    case AttrType.FLOATS: return [name, { type: 'floats', value: (raw[7] ?? []).flatMap(floatsOf) }]
    case AttrType.INTS: return [name, { type: 'ints', value: (raw[8] ?? []).flatMap(varintsOf) }]
    default: throw new ProtoDecodeError(`attribute ${name}: unsupported type ${type}`)
  }
}

function readNode(bytes: Uint8Array): NodeProto {
  const n: NodeProto = { name: '', opType: '', inputs: [], outputs: [], attributes: {} }
  for (const f of readFields(bytes)) {
    if (f.field === 1) n.inputs.push(str(f))
    else if (f.field === 2) n.outputs.push(str(f))
    else if (f.field === 3) n.name = str(f)
    else if (f.field === 4) n.opType = str(f)
    else if (f.field === 5) { const [k, a] = readAttribute(sub(f)); n.attributes[k] = a }
    else if (f.field === 7) n.domain = str(f)
  }
  return n
}

function readGraph(bytes: Uint8Array): GraphProto {
  const g: GraphProto = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] }
  for (const f of readFields(bytes)) {
    if (f.field === 1) g.nodes.push(readNode(sub(f)))
    else if (f.field === 2) g.name = str(f)
    else if (f.field === 5) g.initializers.push(readTensor(sub(f)))
    else if (f.field === 11) g.inputs.push(readValueInfo(sub(f)))
    else if (f.field === 12) g.outputs.push(readValueInfo(sub(f)))
    else if (f.field === 13) g.valueInfo!.push(readValueInfo(sub(f)))
  }
  return g
}

/** Parses ONNX protobuf bytes. Throws {@link ProtoDecodeError} when the bytes are not a well-formed ModelProto. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const m: ModelProto = { irVersion: 0, opsetImports: [], producerName: '', producerVersion: '', metadata: {}, graph: undefined as unknown as GraphProto }
  for (const f of readFields(bytes)) {
    if (f.field === 1) m.irVersion = int(f)
    else if (f.field === 2) m.producerName = str(f)
    else if (f.field === 3) m.producerVersion = str(f)
    else if (f.field === 6) m.docString = str(f)
    else if (f.field === 7) m.graph = readGraph(sub(f))
    else if (f.field === 8) {
      let domain = ''
      let version = 0
      for (const o of readFields(sub(f))) o.field === 1 ? (domain = str(o)) : o.field === 2 ? (version = int(o)) : 0
      m.opsetImports.push({ domain, version })
    } else if (f.field === 14) {
      let key = ''
      let value = ''
      for (const e of readFields(sub(f))) e.field === 1 ? (key = str(e)) : e.field === 2 ? (value = str(e)) : 0
      m.metadata[key] = value
    }
  }
  if (!m.graph) throw new ProtoDecodeError('no graph in ModelProto')
  return m
}
