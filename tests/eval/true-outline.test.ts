/**
 * True outlines (scripts/eval/true-outline.ts) on the real fixture fonts and icons: they frame the drawing exactly
 * as the dataset raster, their topology is the letter's, and reconstruction fidelity scores the real raster near
 * the tracer's ceiling and a wrong glyph far below it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { outlineTopology, reconstructionFidelity } from '../../sdk/eval/fidelity.js'
import { resampleArea } from '../../sdk/image/fit.js'
import { fontLayout, parseWoff2, renderGlyph } from '../../scripts/data/fonts.js'
import { iconsOf, readIconSet } from '../../scripts/data/iconify.js'
import { rasteriseIcon, toUint8 } from '../../scripts/data/rasterize.js'
import { fontFileOf, glyphOutline, iconOutline, trueOutlines } from '../../scripts/eval/true-outline.js'
import { realGlyphSet } from './real-glyphs.js'

const fixtures = new URL('../fixtures/', import.meta.url).pathname
const fontDir = (id: string): string => join(fixtures, 'fonts', id)
const roboto = await parseWoff2(new Uint8Array(readFileSync(fontFileOf('roboto-400', fontDir)!)))

describe('true outlines', () => {
  it('a glyph outline area-averaged to 64² is the dataset raster, byte for byte', () => {
    const layout = fontLayout(roboto, 64, 4)
    for (const ch of ['a', 'B', 'g', '4']) {
      const outline = glyphOutline(roboto, ch, 64)
      expect(outline.width).toBe(256)
      expect(toUint8(resampleArea(outline, 0, 0, 256, 256, 64, 64))).toEqual(toUint8(renderGlyph(roboto, ch, layout, 64)))
    }
  })

  it('counts the letter\'s parts and holes (B: 1 and 2, i: 2 and 0, o: 1 and 1)', () => {
    const t = (ch: string) => {
      const { parts, holes } = outlineTopology(glyphOutline(roboto, ch, 64), 32)
      return [parts, holes]
    }
    expect(t('B')).toEqual([1, 2])
    expect(t('i')).toEqual([2, 0])
    expect(t('o')).toEqual([1, 1])
    expect(t('8')).toEqual([1, 2])
  })

  it('an icon outline frames the SVG as the data build does (same 64² raster within rendering error)', () => {
    const root = join(fixtures, 'iconify')
    const icons = iconsOf(readIconSet(root, 'ph')).icons.filter((i) => ['gear', 'bell-fill', 'envelope'].includes(i.name))
    expect(icons).toHaveLength(3)
    for (const icon of icons) {
      const outline = iconOutline(icon.svg, 64)!
      const down = resampleArea(outline, 0, 0, 256, 256, 64, 64)
      const raster = rasteriseIcon(icon.svg, 64, 4)
      let diff = 0
      for (let i = 0; i < down.data.length; i++) diff += Math.abs(down.data[i]! - raster.data[i]!) / down.data.length
      expect(diff).toBeLessThan(0.01)
    }
  })

  it('scores the real raster near the tracer ceiling and a wrong glyph far below; splits by group', async () => {
    const ds = await realGlyphSet({ size: 64, chars: ['B', 'i', 'o', 'l'] }) // four different topologies
    const items = Array.from({ length: ds.count }, (_, i) => i)
    const t = await trueOutlines(ds, items, { fontDir })
    if (!('outlineOf' in t)) throw new Error(t.missing)
    const px = ds.size * ds.size
    const real = ds.images.slice(0, items.length * px)
    const asRecon = Float32Array.from(real, (v) => v / 255)
    const groupOf = (i: number) => ds.sources[ds.sourceIds[i]!]!.tags[0]!
    const self = reconstructionFidelity({ items, recon: asRecon, real, S: ds.size, outlineOf: t.outlineOf, groupOf })
    expect(self.count).toBe(12) // the styles with a font file: Roboto 400 and 700, Lora 400; the faux-bold others have none
    expect(self.iou).toBeGreaterThan(0.9)
    expect(self.iou).toBeCloseTo(self.tracer.iou, 12)
    expect(self.topologyError).toBeLessThan(0.1)
    expect(Object.keys(self.groups)).toEqual(['sans', 'serif'])
    expect(self.groups.sans!.count).toBe(8)
    // every item's reconstruction replaced by the next class's glyph of the same font: far from the outline, other topology
    const wrong = new Float32Array(asRecon.length)
    items.forEach((i) => {
      const j = items.find((k) => ds.sourceIds[k] === ds.sourceIds[i] && ds.classIds[k] === (ds.classIds[i]! + 1) % ds.classes.length)!
      wrong.set(asRecon.subarray(j * px, (j + 1) * px), i * px)
    })
    const bad = reconstructionFidelity({ items, recon: wrong, real, S: ds.size, outlineOf: t.outlineOf })
    expect(bad.iou).toBeLessThan(0.6)
    expect(bad.topologyError).toBe(1)
    // every scored item (those with an outline) is listed as a failure, with the counts that differ
    expect(bad.failures.map((f) => f.index)).toEqual(items.flatMap((item, k) => (t.outlineOf(item) ? [k] : [])))
    expect(bad.failures.every((f) => f.parts[0] !== f.parts[1] || f.holes[0] !== f.holes[1])).toBe(true)
    expect(self.failures.length).toBe(Math.round(self.topologyError * self.count))
  }, 60_000)

  it('says what to install when the fonts are missing', async () => {
    const ds = await realGlyphSet()
    const t = await trueOutlines(ds, [0, 1], { fontDir: (id) => join(fixtures, 'nowhere', id) })
    expect('missing' in t && t.missing).toMatch(/npm install --prefix scripts\/data/)
    const icons = await trueOutlines({ ...ds, kind: 'icons' }, [0], { iconifyRoot: join(fixtures, 'nowhere') })
    expect('missing' in icons && icons.missing).toMatch(/@iconify\/json is not installed/)
  })
})
