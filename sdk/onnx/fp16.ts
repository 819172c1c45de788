/**
 * Half-precision weight storage: float32 initializers are stored as FLOAT16 and widened by a Cast node at load,
 * halving the model file. Conversion rounds to nearest, ties to even (IEEE 754), with subnormals.
 */
import { DataType, type GraphProto, type NodeProto, type TensorProto } from './model-proto.js'

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** IEEE 754 binary16 bits of a number (round to nearest even; overflow → ±Infinity). */
export function float16Bits(value: number): number {
  f32[0] = value
  const x = u32[0]!
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0) // Inf / NaN
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rem = mant & ((1 << shift) - 1)
    let h = mant >>> shift
    if (rem > half || (rem === half && (h & 1))) h++
    return sign | h
  }
  let h = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++
  return sign | h
}

/** The number a binary16 bit pattern stands for. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >>> 10) & 0x1f
  const mant = bits & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 0x1f) return mant ? NaN : sign * Infinity
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/** Rewrites every float32 initializer whose name is in `names` as FLOAT16 + a Cast back to float32. */
export function storeAsFloat16(graph: GraphProto, names: ReadonlySet<string>): GraphProto {
  const casts: NodeProto[] = []
  const initializers: TensorProto[] = graph.initializers.map((t) => {
    if (!names.has(t.name) || t.dataType !== DataType.FLOAT) return t
    const src = new Float32Array(t.rawData.buffer.slice(t.rawData.byteOffset, t.rawData.byteOffset + t.rawData.byteLength))
    const half = new Uint16Array(src.length)
    for (let i = 0; i < src.length; i++) half[i] = float16Bits(src[i]!)
    const stored = `${t.name}__fp16`
    casts.push({ name: `${t.name}/cast`, opType: 'Cast', inputs: [stored], outputs: [t.name], attributes: { to: { type: 'int', value: DataType.FLOAT } } })
    return { name: stored, dataType: DataType.FLOAT16, dims: t.dims, rawData: new Uint8Array(half.buffer) }
  })
  return { ...graph, initializers, nodes: [...casts, ...graph.nodes] }
}
