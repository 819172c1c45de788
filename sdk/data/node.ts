/** Node file I/O for datasets: atomic writes, in-memory reads and a streaming reader. */
import { createHash } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { LatentypeError } from '../errors.js'
import { decodeDataset, decodeDatasetHeader, ITEM_RECORD_BYTES, PREAMBLE_BYTES } from './format.js'
import type { Dataset, DatasetHeader } from './types.js'

/**
 * Writes `data` to `path` atomically: a temp file beside it, then rename, so readers never see half a file and
 * a crash leaves the previous file intact. Creates the parent folder.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  try {
    await writeFile(tmp, data)
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

/** SHA-256 of bytes as lowercase hex (recorded in dataset cards so rebuilds can be verified). */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LatentypeError('FILE_NOT_FOUND', `dataset ${path} does not exist — build it with \`npm run data -- icons --out data/icons\` (or glyphs)`, { cause })
    }
    throw cause
  }
}

/**
 * Reads a whole `.ltds` dataset into memory (tens of thousands of 64×64 items are a few hundred MB at most).
 *
 * @example
 * ```ts
 * import { readDataset } from 'latentype/sdk/data/node'
 * const ds = await readDataset('data/icons/icons.ltds')
 * console.log(ds.count, ds.classes.length, splitIndices(ds, 'train').length)
 * ```
 */
export async function readDataset(path: string): Promise<Dataset> {
  return decodeDataset(await readBytes(path))
}

/** A dataset opened for streaming: header and index in memory, pixels read on demand. Close it when done. */
export interface DatasetStream {
  header: DatasetHeader
  classIds: Uint16Array
  sourceIds: Uint16Array
  splitCodes: Uint8Array
  tagMasks: Uint32Array
  /** Pixels of items `start .. start+count-1` (contiguous in the file), `count*size*size` bytes. */
  readImages(start: number, count: number): Promise<Uint8Array>
  close(): Promise<void>
}

/**
 * Opens a dataset without loading its pixels: for datasets larger than memory or for quick inspection.
 *
 * @example
 * ```ts
 * const s = await openDatasetStream('data/glyphs/glyphs.ltds')
 * const batch = await s.readImages(0, 256)
 * await s.close()
 * ```
 */
export async function openDatasetStream(path: string): Promise<DatasetStream> {
  const fh = await open(path, 'r').catch((cause: unknown) => {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LatentypeError('FILE_NOT_FOUND', `dataset ${path} does not exist — build it with \`npm run data -- icons --out data/icons\` (or glyphs)`, { cause })
    }
    throw cause
  })
  try {
    const pre = new Uint8Array(PREAMBLE_BYTES)
    await fh.read(pre, 0, PREAMBLE_BYTES, 0)
    const headerBytes = new DataView(pre.buffer).getUint32(8, true)
    const head = new Uint8Array(PREAMBLE_BYTES + headerBytes)
    await fh.read(head, 0, head.length, 0)
    const { header, itemsOffset, imagesOffset, totalBytes } = decodeDatasetHeader(head)
    const { size: fileSize } = await fh.stat()
    if (fileSize !== totalBytes) throw new LatentypeError('BAD_DATASET', `dataset ${path} is ${fileSize} bytes but its header says ${totalBytes} — rebuild it`)
    const n = header.count
    const idx = new Uint8Array(n * ITEM_RECORD_BYTES)
    await fh.read(idx, 0, idx.length, itemsOffset)
    const view = new DataView(idx.buffer)
    const classIds = new Uint16Array(n)
    const sourceIds = new Uint16Array(n)
    const splitCodes = new Uint8Array(n)
    const tagMasks = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      classIds[i] = view.getUint16(i * ITEM_RECORD_BYTES, true)
      sourceIds[i] = view.getUint16(i * ITEM_RECORD_BYTES + 2, true)
      splitCodes[i] = view.getUint8(i * ITEM_RECORD_BYTES + 4)
      tagMasks[i] = view.getUint32(i * ITEM_RECORD_BYTES + 8, true)
    }
    const px = header.size * header.size
    return {
      header, classIds, sourceIds, splitCodes, tagMasks,
      async readImages(start: number, count: number): Promise<Uint8Array> {
        if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > n) {
          throw new LatentypeError('BAD_ARGUMENT', `readImages(${start}, ${count}) is out of range — the dataset has ${n} items`)
        }
        const out = new Uint8Array(count * px)
        await fh.read(out, 0, out.length, imagesOffset + start * px)
        return out
      },
      close: () => fh.close(),
    }
  } catch (e) {
    await fh.close()
    throw e
  }
}
