/**
 * 8-bit weight storage: a float32 initializer is stored as INT8 with one float32 scale per row of its first axis
 * (symmetric, round to nearest: w ≈ q·scale, |error| ≤ scale/2 = max|row|/254) and widened at load by a Cast and
 * a Mul, which onnxruntime folds into a float32 constant when it opens the session. A quarter of float32's bytes,
 * half of float16's; used for the encoder of a model file whose card says `weightFormat: 'float16/int8'`
 * (sdk/model/file.ts).
 */
import { DataType, type GraphProto, type NodeProto, type TensorProto } from './model-proto.js'

/** Suffixes of the stored tensors of an int8 weight `w`: `w__int8` (the integers) and `w__scale` (per row). */
export const INT8_SUFFIX = '__int8'
export const SCALE_SUFFIX = '__scale'

/** Integers and per-row scales of a tensor whose first axis has `rows` rows. */
export function quantizeRows(w: Float32Array, rows: number): { q: Int8Array; scale: Float32Array } {
  const per = w.length / rows
  const q = new Int8Array(w.length)
  const scale = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let max = 0
    for (let i = r * per; i < (r + 1) * per; i++) max = Math.max(max, Math.abs(w[i]!))
    const s = max > 0 ? max / 127 : 1
    scale[r] = s
    for (let i = r * per; i < (r + 1) * per; i++) q[i] = Math.round(w[i]! / s)
  }
  return { q, scale }
}

/** The float32 values of stored integers and per-row scales (what the Cast and Mul compute at load). */
export function dequantizeRows(q: Int8Array, scale: Float32Array): Float32Array {
  const per = q.length / scale.length
  const w = new Float32Array(q.length)
  for (let i = 0; i < q.length; i++) w[i] = q[i]! * scale[Math.floor(i / per)]!
  return w
}

/** Rewrites every float32 initializer whose name is in `names` as INT8 + per-row scale, widened by Cast·Mul. */
export function storeAsInt8(graph: GraphProto, names: ReadonlySet<string>): GraphProto {
  const widen: NodeProto[] = []
  const initializers: TensorProto[] = graph.initializers.flatMap((t) => {
    if (!names.has(t.name) || t.dataType !== DataType.FLOAT || t.dims.length === 0) return [t]
    const src = new Float32Array(t.rawData.buffer.slice(t.rawData.byteOffset, t.rawData.byteOffset + t.rawData.byteLength))
    const rows = t.dims[0]!
    const { q, scale } = quantizeRows(src, rows)
    const ints = `${t.name}${INT8_SUFFIX}`
    const scales = `${t.name}${SCALE_SUFFIX}`
    const cast = `${t.name}/cast_int8`
    widen.push(
      { name: cast, opType: 'Cast', inputs: [ints], outputs: [cast], attributes: { to: { type: 'int', value: DataType.FLOAT } } },
      { name: `${t.name}/scale_rows`, opType: 'Mul', inputs: [cast, scales], outputs: [t.name], attributes: {} },
    )
    return [
      { name: ints, dataType: DataType.INT8, dims: t.dims, rawData: new Uint8Array(q.buffer) },
      { name: scales, dataType: DataType.FLOAT, dims: [rows, ...t.dims.slice(1).map(() => 1)], rawData: new Uint8Array(scale.buffer) },
    ]
  })
  return { ...graph, initializers, nodes: [...widen, ...graph.nodes] }
}
