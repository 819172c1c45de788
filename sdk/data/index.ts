/** Datasets: the `.ltds` format, splits and read helpers (browser-safe). Node file I/O is in `./node.ts`. */
export * from './types.js'
export { encodeDataset, decodeDataset, decodeDatasetHeader, datasetLayout, DATASET_VERSION, type DatasetSpec } from './format.js'
export { imageAt, bitmapAt, splitOf, splitIndices, tagsOf, classByLabel, countsByClassAndSplit } from './access.js'
export { assignSplits, fnv1a, type SplitOptions } from './split.js'
