/**
 * The dataset file format (`.ltds`), version 1. Pure TypeScript over Uint8Array: works in Node and browsers.
 *
 * Layout (little-endian):
 * ```
 * 0        "LTDS"                       magic
 * 4        u32 version                  1
 * 8        u32 H                        header JSON length in bytes
 * 12       H bytes UTF-8 JSON           DatasetHeader (classes, sources, tag vocabulary, item names)
 * I        count × 12 bytes             per item: u16 classId, u16 sourceId, u8 split, u8 0, u16 0, u32 tagMask
 * P        count × size × size bytes    uint8 pixels, 0 paper .. 255 ink, item after item
 * ```
 * where `I = align4(12 + H)` and `P = I + 12 × count`. A streaming reader reads the first 12 bytes, then the
 * header, then fetches image `i` at `P + i × size²` without loading the rest.
 */
import { LatentypeError } from '../errors.js'
import { SPLITS, type Dataset, type DatasetClass, type DatasetHeader, type DatasetItem, type DatasetSource } from './types.js'

export const DATASET_MAGIC = 'LTDS'
export const DATASET_VERSION = 1
/** Bytes per item record in the index. */
export const ITEM_RECORD_BYTES = 12
/** Bytes before the header JSON. */
export const PREAMBLE_BYTES = 12

const align4 = (n: number): number => (n + 3) & ~3

/** Offsets of the sections of a file whose header JSON is `headerBytes` long. */
export function datasetLayout(headerBytes: number, count: number, size: number): { itemsOffset: number; imagesOffset: number; totalBytes: number } {
  const itemsOffset = align4(PREAMBLE_BYTES + headerBytes)
  const imagesOffset = itemsOffset + ITEM_RECORD_BYTES * count
  return { itemsOffset, imagesOffset, totalBytes: imagesOffset + count * size * size }
}

/** What a builder passes to {@link encodeDataset}: the header minus what is derived from the items. */
export interface DatasetSpec {
  kind: string
  size: number
  classes: DatasetClass[]
  sources: DatasetSource[]
}

/**
 * Serialises items into one `.ltds` file image. Items are written in the order given (sort them first for
 * reproducible files); the tag vocabulary is the sorted union of item tags. Deterministic: same input, same bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeDataset({ kind: 'icons', size: 64, classes, sources }, items)
 * ```
 */
export function encodeDataset(spec: DatasetSpec, items: DatasetItem[]): Uint8Array {
  const { size } = spec
  const tags = [...new Set(items.flatMap((it) => it.tags))].sort()
  if (tags.length > 32) {
    throw new LatentypeError('BAD_DATASET', `dataset has ${tags.length} item tags but the format holds at most 32 — merge or drop tags`)
  }
  const tagBit = new Map(tags.map((t, k) => [t, k]))
  const header: DatasetHeader = {
    format: 'latentype-dataset',
    version: DATASET_VERSION,
    kind: spec.kind,
    size,
    count: items.length,
    classes: spec.classes,
    sources: spec.sources,
    tags,
    names: items.map((it) => it.name),
  }
  const json = new TextEncoder().encode(JSON.stringify(header))
  const layout = datasetLayout(json.length, items.length, size)
  const out = new Uint8Array(layout.totalBytes)
  const view = new DataView(out.buffer)
  out.set(new TextEncoder().encode(DATASET_MAGIC), 0)
  view.setUint32(4, DATASET_VERSION, true)
  view.setUint32(8, json.length, true)
  out.set(json, PREAMBLE_BYTES)
  items.forEach((it, i) => {
    const source = spec.sources[it.sourceId]
    if (!source || it.classId < 0 || it.classId >= spec.classes.length) {
      throw new LatentypeError('BAD_DATASET', `item "${it.name}" points at class ${it.classId} / source ${it.sourceId} that do not exist — add them to the spec`)
    }
    if (it.pixels.length !== size * size) {
      throw new LatentypeError('BAD_IMAGE', `item "${it.name}" has ${it.pixels.length} pixels, expected ${size}×${size} — fit it to the dataset size first`)
    }
    const at = layout.itemsOffset + i * ITEM_RECORD_BYTES
    view.setUint16(at, it.classId, true)
    view.setUint16(at + 2, it.sourceId, true)
    view.setUint8(at + 4, SPLITS.indexOf(source.split))
    let mask = 0
    for (const t of it.tags) mask |= 1 << tagBit.get(t)!
    view.setUint32(at + 8, mask >>> 0, true)
    out.set(it.pixels, layout.imagesOffset + i * size * size)
  })
  return out
}

/**
 * Parses the preamble and header JSON from the first bytes of a file (at least `12 + H` of them).
 * Returns the header and the byte offsets of the item index and the pixels.
 */
export function decodeDatasetHeader(bytes: Uint8Array): { header: DatasetHeader; itemsOffset: number; imagesOffset: number; totalBytes: number } {
  if (bytes.length < PREAMBLE_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== DATASET_MAGIC) {
    throw new LatentypeError('BAD_DATASET', 'not a latentype dataset (no LTDS magic) — build one with `npm run data -- icons|glyphs`')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  if (version !== DATASET_VERSION) {
    throw new LatentypeError('BAD_DATASET', `dataset format version ${version} is not supported (this SDK reads version ${DATASET_VERSION}) — rebuild the dataset or update latentype`)
  }
  const headerBytes = view.getUint32(8, true)
  if (bytes.length < PREAMBLE_BYTES + headerBytes) {
    throw new LatentypeError('BAD_DATASET', 'dataset file is truncated inside its header — rebuild it')
  }
  let header: DatasetHeader
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes))) as DatasetHeader
  } catch (cause) {
    throw new LatentypeError('BAD_DATASET', 'dataset header is not valid JSON — the file is corrupt; rebuild it', { cause })
  }
  if (header.format !== 'latentype-dataset' || !Number.isInteger(header.count) || !Number.isInteger(header.size) || header.names?.length !== header.count) {
    throw new LatentypeError('BAD_DATASET', 'dataset header is inconsistent (format, size, count or names) — the file is corrupt; rebuild it')
  }
  return { header, ...datasetLayout(headerBytes, header.count, header.size) }
}

/**
 * Decodes a whole `.ltds` file held in memory. The returned arrays are views into `bytes` where alignment
 * allows (pixels always are), so keep `bytes` alive and do not mutate it.
 *
 * @example
 * ```ts
 * const ds = decodeDataset(new Uint8Array(await (await fetch(url)).arrayBuffer()))
 * ```
 */
export function decodeDataset(bytes: Uint8Array): Dataset {
  const { header, itemsOffset, imagesOffset, totalBytes } = decodeDatasetHeader(bytes)
  if (bytes.length !== totalBytes) {
    throw new LatentypeError('BAD_DATASET', `dataset file is ${bytes.length} bytes but its header says ${totalBytes} — it is truncated or corrupt; rebuild it`)
  }
  const n = header.count
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const classIds = new Uint16Array(n)
  const sourceIds = new Uint16Array(n)
  const splitCodes = new Uint8Array(n)
  const tagMasks = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const at = itemsOffset + i * ITEM_RECORD_BYTES
    classIds[i] = view.getUint16(at, true)
    sourceIds[i] = view.getUint16(at + 2, true)
    splitCodes[i] = view.getUint8(at + 4)
    tagMasks[i] = view.getUint32(at + 8, true)
    if (classIds[i]! >= header.classes.length || sourceIds[i]! >= header.sources.length || splitCodes[i]! > 2) {
      throw new LatentypeError('BAD_DATASET', `dataset item ${i} has an out-of-range class, source or split — the file is corrupt; rebuild it`)
    }
  }
  const images = bytes.subarray(imagesOffset, totalBytes)
  return { ...header, images, classIds, sourceIds, splitCodes, tagMasks }
}
