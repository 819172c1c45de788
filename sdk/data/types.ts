/** Which part of a dataset an item belongs to. Whole sources (icon libraries, font families) go to one split. */
export type Split = 'train' | 'val' | 'test'

/** The splits in the order of their numeric codes in the file (0 train, 1 val, 2 test). */
export const SPLITS: readonly Split[] = ['train', 'val', 'test']

/** One class the model conditions on: an icon concept (`heart`) or a glyph (`A`). */
export interface DatasetClass {
  /** Index into {@link Dataset.classes}; what {@link Dataset.classIds} holds. */
  id: number
  /** Canonical name, e.g. `settings` or `a` (glyph labels are the character itself). */
  label: string
  /** Other names that were mapped onto this class, e.g. `['cog', 'gear']`. */
  synonyms: string[]
}

/** Where items came from: one icon set or one font style, with its license and author for attribution. */
export interface DatasetSource {
  /** Index into {@link Dataset.sources}; what {@link Dataset.sourceIds} holds. */
  id: number
  /** Stable key: an iconify prefix (`tabler`) or a font style (`roboto-700-italic`). */
  name: string
  /** Sources sharing a group are split together (`mdi` and `mdi-light`; every style of `roboto`). */
  group: string
  /** Human title: `Tabler Icons`, `Roboto Bold Italic`. */
  title: string
  /** SPDX id when known (`MIT`, `OFL-1.1`, `CC-BY-4.0`), else the license title. */
  license: string
  licenseUrl: string
  author: string
  url: string
  /** The split every item of this source is in. */
  split: Split
  /** Style tags shared by every item of the source (`serif`, `weight-700`, `italic`). */
  tags: string[]
}

/** The JSON header of a dataset file: everything but the per-item columns and the pixels. */
export interface DatasetHeader {
  format: 'latentype-dataset'
  version: 1
  /** `icons` or `glyphs` (free text for other datasets). */
  kind: string
  /** Images are `size`×`size`. */
  size: number
  count: number
  classes: DatasetClass[]
  sources: DatasetSource[]
  /** Tag vocabulary (at most 32): bit `k` of an item's tag mask means `tags[k]`. */
  tags: string[]
  /** Per-item name in the source (`heart-24-filled`, `U+0041`), for reports and debugging. */
  names: string[]
}

/**
 * A dataset in memory. Item `i` has pixels `images.subarray(i*size*size, (i+1)*size*size)` (uint8, 0 paper ..
 * 255 ink, row-major), class `classIds[i]`, source `sourceIds[i]`, split `SPLITS[splitCodes[i]]` and tags
 * `tagMasks[i]` (bits into `tags`).
 *
 * @example
 * ```ts
 * const ds = await readDataset('data/icons/icons.ltds')
 * const train = splitIndices(ds, 'train')
 * const first = imageAt(ds, train[0]!) // Uint8Array(size*size)
 * console.log(ds.classes[ds.classIds[train[0]!]!]!.label)
 * ```
 */
export interface Dataset extends DatasetHeader {
  images: Uint8Array
  classIds: Uint16Array
  sourceIds: Uint16Array
  /** 0 train, 1 val, 2 test (see {@link SPLITS}). */
  splitCodes: Uint8Array
  tagMasks: Uint32Array
}

/** One item before encoding: what the builders hand to {@link encodeDataset}. */
export interface DatasetItem {
  classId: number
  sourceId: number
  name: string
  /** Item-level tags (source tags are added by the reader's helpers, not stored twice). */
  tags: string[]
  /** size*size uint8 coverage. */
  pixels: Uint8Array
}
