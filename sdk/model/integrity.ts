/**
 * Integrity of a model file: a checksum of everything but the metadata (graph, weights, opset), stored in the
 * model card as `checksum` and verified at load, so a file damaged after export is named as damaged instead of
 * loading with changed weights; and a scan that refuses NaN/Inf weights.
 */
import { LatentypeError } from '../errors.js'
import { DataType, type ModelProto, type TensorProto } from '../onnx/model-proto.js'
import { readFields } from '../onnx/protobuf.js'

/** ModelProto.metadata_props: the card lives there, so the checksum leaves it out. */
const METADATA_FIELD = 14

// CRC-32 (polynomial 0xEDB88320, as zlib/PNG), slicing-by-8: ~8× the table-per-byte loop, a few ms for a 3 MB model.
const T = /* @__PURE__ */ (() => {
  const t = new Uint32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!
  return t
})()

/** Continues a CRC-32 over `b` (start with 0). */
export function crc32Update(crc: number, b: Uint8Array): number {
  let c = ~crc >>> 0
  let i = 0
  const n8 = b.length - (b.length % 8)
  for (; i < n8; i += 8) {
    c ^= b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)
    const hi = b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24)
    c =
      T[1792 + (c & 0xff)]! ^ T[1536 + ((c >>> 8) & 0xff)]! ^ T[1280 + ((c >>> 16) & 0xff)]! ^ T[1024 + (c >>> 24)]! ^
      T[768 + (hi & 0xff)]! ^ T[512 + ((hi >>> 8) & 0xff)]! ^ T[256 + ((hi >>> 16) & 0xff)]! ^ T[hi >>> 24]!
  }
  for (; i < b.length; i++) c = T[(c ^ b[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/**
 * The checksum of a model file: CRC-32 over every top-level ModelProto field except metadata_props (field number,
 * wire type and value bytes), written `crc32:xxxxxxxx`. Card rewrites (metrics, directions) keep it valid.
 */
export function modelChecksum(bytes: Uint8Array): string {
  let crc = 0
  const head = new Uint8Array(9)
  const view = new DataView(head.buffer)
  for (const f of readFields(bytes)) {
    if (f.field === METADATA_FIELD) continue
    view.setUint32(0, f.field, true)
    head[4] = f.wire
    if (typeof f.value === 'bigint') {
      crc = crc32Update(crc, head.subarray(0, 5))
      const v = new Uint8Array(8)
      new DataView(v.buffer).setBigUint64(0, BigInt.asUintN(64, f.value), true)
      crc = crc32Update(crc, v)
    } else {
      view.setUint32(5, f.value.length, true)
      crc = crc32Update(crc, head)
      crc = crc32Update(crc, f.value)
    }
  }
  return `crc32:${crc.toString(16).padStart(8, '0')}`
}

/** Throws DAMAGED_MODEL when `expected` (the card's checksum) does not match the file. */
export function verifyChecksum(bytes: Uint8Array, expected: string, source: string): void {
  const actual = modelChecksum(bytes)
  if (actual !== expected) {
    throw new LatentypeError(
      'DAMAGED_MODEL',
      `${source} is damaged: its weights and graph do not match the checksum in its model card (${actual}, expected ${expected}) — the file changed after export (a bad download or disk error); download or copy it again, or re-export it`,
    )
  }
}

/** Index and value of the first NaN/Inf element of a float32 or float16 tensor, or null. */
function firstNonFinite(t: TensorProto): { index: number; value: number } | null {
  const raw = t.rawData
  // A DataView reads any alignment (raw data may be a view into a Node Buffer's shared pool).
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  if (t.dataType === DataType.FLOAT) {
    const n = raw.byteLength >> 2
    for (let i = 0; i < n; i++) {
      if ((view.getUint32(4 * i, true) & 0x7f800000) === 0x7f800000) return { index: i, value: view.getFloat32(4 * i, true) }
    }
  } else if (t.dataType === DataType.FLOAT16) {
    const n = raw.byteLength >> 1
    for (let i = 0; i < n; i++) {
      const h = view.getUint16(2 * i, true)
      if ((h & 0x7c00) === 0x7c00) return { index: i, value: h & 0x3ff ? NaN : h & 0x8000 ? -Infinity : Infinity }
    }
  }
  return null
}

/** Throws BAD_MODEL naming the first initializer (or Constant) holding NaN or ±Infinity. */
export function checkFiniteWeights(model: ModelProto, source: string): void {
  const tensors: TensorProto[] = [...model.graph.initializers]
  for (const n of model.graph.nodes) for (const a of Object.values(n.attributes)) if (a.type === 'tensor') tensors.push(a.value)
  for (const t of tensors) {
    const bad = firstNonFinite(t)
    if (bad) {
      throw new LatentypeError(
        'BAD_MODEL',
        `${source} has a non-finite weight: "${t.name}"[${bad.index}] is ${bad.value} — the model diverged during training or was damaged; retrain (lower --lr, or --clip-norm) or re-export it`,
      )
    }
  }
}
