/** Read helpers over an in-memory {@link Dataset}: pixels, splits, tags, bitmaps. Pure TypeScript. */
import { LatentypeError } from '../errors.js'
import { resolveClass } from '../generate/classes.js'
import { createBitmap, type Bitmap } from '../image/bitmap.js'
import { SPLITS, type Dataset, type DatasetClass, type Split } from './types.js'

function checkIndex(ds: Dataset, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= ds.count) {
    throw new LatentypeError('BAD_ARGUMENT', `item index ${i} is out of range — the dataset has ${ds.count} items (0..${ds.count - 1})`)
  }
}

/**
 * The pixels of item `i` (a view, uint8 0 paper..255 ink, `size*size` row-major).
 *
 * @example
 * ```ts
 * const px = imageAt(ds, 0) // Uint8Array(4096) for a 64×64 dataset
 * ```
 */
export function imageAt(ds: Dataset, i: number): Uint8Array {
  checkIndex(ds, i)
  const n = ds.size * ds.size
  return ds.images.subarray(i * n, (i + 1) * n)
}

/** Item `i` as a {@link Bitmap} with coverage 0..1 (what the model reads). */
export function bitmapAt(ds: Dataset, i: number): Bitmap {
  const px = imageAt(ds, i)
  const b = createBitmap(ds.size, ds.size)
  for (let k = 0; k < px.length; k++) b.data[k] = px[k]! / 255
  return b
}

/** The split of item `i`. */
export function splitOf(ds: Dataset, i: number): Split {
  checkIndex(ds, i)
  return SPLITS[ds.splitCodes[i]!]!
}

/**
 * Indices of the items in one split, ascending. Splits are by source, so no icon library or font family is in
 * two splits.
 *
 * @example
 * ```ts
 * const val = splitIndices(ds, 'val')
 * ```
 */
export function splitIndices(ds: Dataset, split: Split): Int32Array {
  const code = SPLITS.indexOf(split)
  if (code < 0) throw new LatentypeError('BAD_ARGUMENT', `unknown split "${String(split)}" — use 'train', 'val' or 'test'`)
  const out: number[] = []
  for (let i = 0; i < ds.count; i++) if (ds.splitCodes[i] === code) out.push(i)
  return Int32Array.from(out)
}

/** Item tags of item `i` followed by its source's tags (`['filled', 'mdi-group']`, `['serif', 'weight-700']`). */
export function tagsOf(ds: Dataset, i: number): string[] {
  checkIndex(ds, i)
  const mask = ds.tagMasks[i]!
  const own = ds.tags.filter((_, k) => (mask >>> k) & 1)
  return [...own, ...ds.sources[ds.sourceIds[i]!]!.tags]
}

/**
 * Finds a class by label or synonym (the same lookup as the Generator's); throws UNKNOWN_CLASS with the closest labels.
 *
 * @example
 * ```ts
 * classByLabel(ds, 'gear').label // 'settings'
 * ```
 */
export function classByLabel(ds: Pick<Dataset, 'classes'>, label: string): DatasetClass {
  return resolveClass(ds.classes, label)
}

/** Item counts per class (rows) and split (columns `[train, val, test]`). */
export function countsByClassAndSplit(ds: Dataset): number[][] {
  const counts = ds.classes.map(() => [0, 0, 0])
  for (let i = 0; i < ds.count; i++) counts[ds.classIds[i]!]![ds.splitCodes[i]!]! += 1
  return counts
}
