/** Contact sheets: a row per class, random examples (seeded), a caption per row; PNG pages of `rowsPerPage`. */
import { Resvg } from '@resvg/resvg-js'
import type * as opentype from 'opentype.js'
import { join } from 'node:path'
import { imageAt } from '../../sdk/data/access.js'
import type { Dataset } from '../../sdk/data/types.js'
import { writeFileAtomic } from '../../sdk/data/node.js'
import { createBitmap } from '../../sdk/image/bitmap.js'
import { encodePng } from '../../sdk/image/png.js'
import { Rng } from '../../sdk/random.js'
import { textPath } from './fonts.js'

const LABEL_W = 200

function caption(font: opentype.Font, text: string, h: number): Float32Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_W}" height="${h}"><path d="${textPath(font, text, 6, h / 2 + 7, 18)}" fill="#000"/></svg>`
  const px = new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: false } }).render().pixels
  const out = new Float32Array(LABEL_W * h)
  for (let i = 0; i < out.length; i++) out[i] = (255 - px[i * 4]!) / 255
  return out
}

/**
 * Writes `contact-sheet-NN.png` files into `dir`: one row per class with up to `perRow` random examples from
 * every split (seeded, so rebuilds give identical sheets). Returns the file names.
 */
export async function writeContactSheets(ds: Dataset, dir: string, font: opentype.Font, perRow = 16, rowsPerPage = 32, seed = 1): Promise<string[]> {
  const rng = new Rng(seed)
  const s = ds.size
  const byClass = ds.classes.map(() => [] as number[])
  for (let i = 0; i < ds.count; i++) byClass[ds.classIds[i]!]!.push(i)
  const files: string[] = []
  for (let page = 0; page * rowsPerPage < ds.classes.length; page++) {
    const classes = ds.classes.slice(page * rowsPerPage, (page + 1) * rowsPerPage)
    const width = LABEL_W + perRow * (s + 2)
    const rowH = s + 2
    const sheet = createBitmap(width, classes.length * rowH)
    classes.forEach((cls, r) => {
      const items = byClass[cls.id]!.slice()
      for (let k = items.length - 1; k > 0; k--) {
        const j = Math.floor(rng.uniform() * (k + 1))
        ;[items[k], items[j]] = [items[j]!, items[k]!]
      }
      const cap = caption(font, `${cls.label} (${byClass[cls.id]!.length})`, rowH)
      for (let y = 0; y < rowH; y++) for (let x = 0; x < LABEL_W; x++) sheet.data[(r * rowH + y) * width + x] = cap[y * LABEL_W + x]!
      items.slice(0, perRow).forEach((item, c) => {
        const px = imageAt(ds, item)
        const ox = LABEL_W + c * (s + 2) + 1
        const oy = r * rowH + 1
        for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) sheet.data[(oy + y) * width + ox + x] = px[y * s + x]! / 255
      })
      // faint rule under each row
      for (let x = 0; x < width; x++) sheet.data[(r * rowH + rowH - 1) * width + x] = Math.max(sheet.data[(r * rowH + rowH - 1) * width + x]!, 0.15)
    })
    const name = `contact-sheet-${String(page + 1).padStart(2, '0')}.png`
    await writeFileAtomic(join(dir, name), encodePng(sheet))
    files.push(name)
  }
  return files
}
