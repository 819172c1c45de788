/**
 * A minimal protocol-buffers wire codec: just what ONNX's ModelProto needs (varint, 32-bit float,
 * length-delimited). Output is canonical — fields in the order written, packed repeated scalars — and
 * byte-identical to protobufjs for the same message (checked in tests/onnx/protobuf.test.ts).
 */

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

/** Appends protobuf fields to a growable buffer. Nested messages are written with {@link ProtoWriter.message}. */
export class ProtoWriter {
  private buf = new Uint8Array(256)
  private len = 0

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < this.len + extra) cap *= 2
    const next = new Uint8Array(cap)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }

  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value))
    if (v < 0x80n) {
      this.ensure(1)
      this.buf[this.len++] = Number(v)
      return
    }
    this.ensure(10)
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.buf[this.len++] = Number(v)
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire)
  }

  /** int32/int64/uint64/enum/bool field (negative numbers use 10-byte two's complement, as protobuf does). */
  varint(field: number, value: number | bigint): this {
    this.tag(field, 0)
    this.rawVarint(value)
    return this
  }

  float(field: number, value: number): this {
    this.tag(field, 5)
    this.ensure(4)
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true)
    this.len += 4
    return this
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2)
    this.rawVarint(value.length)
    this.ensure(value.length)
    this.buf.set(value, this.len)
    this.len += value.length
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value))
  }

  /** A nested message: `write` fills a fresh writer whose bytes become this field. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter()
    write(inner)
    return this.bytes(field, inner.finish())
  }

  packedVarints(field: number, values: ArrayLike<number | bigint>): this {
    if (values.length === 0) return this
    const inner = new ProtoWriter()
    for (let i = 0; i < values.length; i++) inner.rawVarint(values[i]!)
    return this.bytes(field, inner.finish())
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this
    const bytes = new Uint8Array(values.length * 4)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
    return this.bytes(field, bytes)
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}

/** One decoded field: varints as bigint, fixed32 as raw 4 bytes, length-delimited as a subarray. */
export type ProtoField =
  | { field: number; wire: 0; value: bigint }
  | { field: number; wire: 1; value: Uint8Array }
  | { field: number; wire: 2; value: Uint8Array }
  | { field: number; wire: 5; value: Uint8Array }

export class ProtoDecodeError extends Error {}

/** Reads one varint at `pos`; returns it and the position after it. */
function readVarint(bytes: Uint8Array, pos: number): [bigint, number] {
  let result = 0n
  let shift = 0n
  for (;;) {
    if (pos >= bytes.length) throw new ProtoDecodeError('truncated varint')
    const b = bytes[pos++]!
    result |= BigInt(b & 0x7f) << shift
    if ((b & 0x80) === 0) return [result, pos]
    shift += 7n
    if (shift > 63n) throw new ProtoDecodeError('varint too long')
  }
}

/** Splits a message into its fields, in order. Throws {@link ProtoDecodeError} on malformed input. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const out: ProtoField[] = []
  let pos = 0
  const varint = (): bigint => {
    const [v, next] = readVarint(bytes, pos)
    pos = next
    return v
  }
  while (pos < bytes.length) {
    const key = varint()
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (field === 0) throw new ProtoDecodeError('field number 0')
    if (wire === 0) out.push({ field, wire, value: varint() })
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4
      if (pos + n > bytes.length) throw new ProtoDecodeError('truncated fixed field')
      out.push({ field, wire, value: bytes.subarray(pos, pos + n) })
      pos += n
    } else if (wire === 2) {
      const n = Number(varint())
      if (n < 0 || pos + n > bytes.length) throw new ProtoDecodeError('truncated length-delimited field')
      out.push({ field, wire, value: bytes.subarray(pos, pos + n) })
      pos += n
    } else throw new ProtoDecodeError(`unsupported wire type ${wire}`)
  }
  return out
}

export function decodeString(b: Uint8Array): string {
  try {
    return textDecoder.decode(b)
  } catch {
    throw new ProtoDecodeError('invalid UTF-8 string')
  }
}

/** Reads a packed (wire 2) or single (wire 0) repeated varint field into numbers (int64 → signed). */
export function varintsOf(f: ProtoField): number[] {
  if (f.wire === 0) return [Number(BigInt.asIntN(64, f.value))]
  if (f.wire !== 2) throw new ProtoDecodeError('expected varints')
  const vals: number[] = []
  for (const g of readPackedVarints(f.value)) vals.push(Number(BigInt.asIntN(64, g)))
  return vals
}

function readPackedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = []
  for (let pos = 0; pos < bytes.length; ) {
    const [v, next] = readVarint(bytes, pos)
    out.push(v)
    pos = next
  }
  return out
}

/** Reads packed (wire 2) or single (wire 5) floats. */
export function floatsOf(f: ProtoField): number[] {
  if (f.wire !== 2 && f.wire !== 5) throw new ProtoDecodeError('expected floats')
  const view = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength)
  if (f.value.byteLength % 4 !== 0) throw new ProtoDecodeError('packed floats not a multiple of 4 bytes')
  const out: number[] = []
  for (let i = 0; i < f.value.byteLength; i += 4) out.push(view.getFloat32(i, true))
  return out
}
