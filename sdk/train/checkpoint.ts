/**
 * Checkpoint files (`.ltck`): "LTCK", u32 version, u32 JSON length, JSON {step, meta, tensors: [{name, length}]},
 * zero padding to 4 bytes, then the float32 tensors (little-endian) in the listed order. Written atomically.
 */
import { existsSync, readFileSync } from 'node:fs'
import { LatentypeError } from '../errors.js'
import { writeFileAtomic } from '../node/atomic.js'

export interface Checkpoint {
  /** Optimizer steps completed. */
  step: number
  meta: Record<string, unknown>
  tensors: Map<string, Float32Array>
}

const MAGIC = 0x4b43544c // "LTCK" little-endian
const VERSION = 1

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const list = [...c.tensors].map(([name, t]) => ({ name, length: t.length }))
  const json = new TextEncoder().encode(JSON.stringify({ step: c.step, meta: c.meta, tensors: list }))
  const head = 12 + json.length
  const dataStart = Math.ceil(head / 4) * 4
  const total = dataStart + list.reduce((a, t) => a + t.length * 4, 0)
  const bytes = new Uint8Array(total)
  const dv = new DataView(bytes.buffer)
  dv.setUint32(0, MAGIC, true)
  dv.setUint32(4, VERSION, true)
  dv.setUint32(8, json.length, true)
  bytes.set(json, 12)
  let off = dataStart
  for (const t of c.tensors.values()) {
    bytes.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), off)
    off += t.byteLength
  }
  return bytes
}

export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 12 || dv.getUint32(0, true) !== MAGIC) throw new LatentypeError('BAD_ARGUMENT', `${source} is not a latentype checkpoint — pass the checkpoint.ltck of a training run`)
  if (dv.getUint32(4, true) > VERSION) throw new LatentypeError('BAD_ARGUMENT', `${source} was written by a newer latentype — upgrade`)
  const len = dv.getUint32(8, true)
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as { step: number; meta: Record<string, unknown>; tensors: { name: string; length: number }[] }
  let off = Math.ceil((12 + len) / 4) * 4
  const tensors = new Map<string, Float32Array>()
  for (const t of head.tensors) {
    if (off + t.length * 4 > bytes.length) throw new LatentypeError('BAD_ARGUMENT', `${source} is truncated — resume from an earlier checkpoint or start again`)
    tensors.set(t.name, new Float32Array(bytes.slice(off, off + t.length * 4).buffer))
    off += t.length * 4
  }
  return { step: head.step, meta: head.meta, tensors }
}

export function saveCheckpoint(path: string, c: Checkpoint): void {
  writeFileAtomic(path, encodeCheckpoint(c))
}

export function loadCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new LatentypeError('FILE_NOT_FOUND', `no checkpoint at ${path} — start without --resume, or pass the run folder that has checkpoint.ltck`)
  return decodeCheckpoint(new Uint8Array(readFileSync(path)), path)
}
