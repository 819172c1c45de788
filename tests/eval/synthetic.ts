/**
 * A small synthetic glyph dataset for evaluation tests: 16×16 "fonts" drawing the 4 classes of the test models
 * (tests/helpers/models.ts) as bars and boxes with a per-font stroke weight and offset. Sources 0–5 train,
 * 6 val, 7 test; source 7 draws exactly like source 1, so the nearest-font baseline is perfect on it.
 */
import type { Dataset, DatasetSource } from '../../sdk/data/types.js'
import { testClasses } from '../helpers/models.js'

const S = 16

function draw(cls: number, weight: number, offset: number): Uint8Array {
  const img = new Uint8Array(S * S)
  const ink = (x: number, y: number): void => {
    if (x >= 0 && y >= 0 && x < S && y < S) img[y * S + x] = 255
  }
  for (let t = 0; t < weight; t++) {
    for (let k = 3; k < 13; k++) {
      if (cls === 0) ink(k + offset, 7 + t) // horizontal bar
      if (cls === 1) ink(7 + t + offset, k) // vertical bar
      if (cls === 2) [ink(3 + t + offset, k), ink(12 - t + offset, k), ink(k + offset, 3 + t), ink(k + offset, 12 - t)] // box
      if (cls === 3) ink(k + offset, k - t) // diagonal
    }
  }
  return img
}

export function syntheticGlyphs(): Dataset {
  const fonts = [
    { w: 1, o: 0 }, { w: 3, o: 0 }, { w: 2, o: -1 }, { w: 1, o: 1 }, { w: 3, o: 1 }, { w: 2, o: 0 }, { w: 2, o: 1 }, { w: 3, o: 0 },
  ]
  const split = (s: number): DatasetSource['split'] => (s === 7 ? 'test' : s === 6 ? 'val' : 'train')
  const sources: DatasetSource[] = fonts.map((f, id) => ({ id, name: `font-${id}`, group: `font-${id}`, title: `Font ${id}`, license: 'MIT', licenseUrl: '', author: '', url: '', split: split(id), tags: [`weight-${f.w * 300}`, 'sans'] }))
  const items = fonts.flatMap((f, s) => testClasses.map((c) => ({ s, c: c.id, px: draw(c.id, f.w, f.o) })))
  const images = new Uint8Array(items.length * S * S)
  items.forEach((it, i) => images.set(it.px, i * S * S))
  return {
    format: 'latentype-dataset',
    version: 1,
    kind: 'glyphs',
    size: S,
    count: items.length,
    classes: testClasses.map((c) => ({ ...c })),
    sources,
    tags: [],
    names: items.map((it) => `font-${it.s}:${testClasses[it.c]!.label}`),
    images,
    classIds: Uint16Array.from(items, (it) => it.c),
    sourceIds: Uint16Array.from(items, (it) => it.s),
    splitCodes: Uint8Array.from(items, (it) => ['train', 'val', 'test'].indexOf(split(it.s))),
    tagMasks: new Uint32Array(items.length),
  }
}
