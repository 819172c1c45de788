/**
 * A small real glyph dataset for evaluation tests, built from the fixture fonts (tests/fixtures/fonts: Roboto and
 * Lora, latin 400) with the data build's own renderer (scripts/data/fonts.ts) and file format. Weights 500–800
 * are the 400 outline stroked (faux bold), so a weight direction has something to find; they have no font file,
 * so only the 400 styles have true outlines. Splits: Lora 400 is the held-out (test) font, Roboto 600 validation,
 * the other eight train.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { decodeDataset, encodeDataset } from '../../sdk/data/format.js'
import type { Dataset, DatasetItem, DatasetSource } from '../../sdk/data/types.js'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { resampleArea } from '../../sdk/image/fit.js'
import { buildModelFile, resolveSpec } from '../../sdk/index.js'
import { heInit } from '../../sdk/graph/layers.js'
import { fontLayout, parseWoff2, renderGlyph, type FontLayout } from '../../scripts/data/fonts.js'
import { svgPathData } from '../../scripts/data/path-data.js'
import { toUint8 } from '../../scripts/data/rasterize.js'

const fontsDir = new URL('../fixtures/fonts/', import.meta.url).pathname
type Font = Awaited<ReturnType<typeof parseWoff2>>

/** The glyph's path stroked `stroke` px (at `size`) wider on each side: faux bold, rendered like renderGlyph. */
function strokedGlyph(font: Font, ch: string, layout: FontLayout, size: number, stroke: number): Bitmap {
  const over = 4
  const g = font.charToGlyph(ch)
  const bb = g.getBoundingBox()
  const x = (size * over) / 2 - ((bb.x1 + bb.x2) / 2) * layout.scale * over
  const d = svgPathData(g.getPath(x, layout.baseline * over, layout.scale * font.unitsPerEm * over).commands, 3)
  const big = size * over
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${big}" height="${big}"><path d="${d}" fill="#000" stroke="#000" stroke-width="${2 * stroke * over}" stroke-linejoin="round"/></svg>`
  const px = new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: false } }).render().pixels
  const cov = createBitmap(big, big)
  for (let i = 0; i < cov.data.length; i++) cov.data[i] = (255 - px[i * 4 + 1]!) / 255
  return resampleArea(cov, 0, 0, big, big, size, size)
}

const cache = new Map<string, Promise<{ ds: Dataset; bytes: Uint8Array }>>()

/**
 * Fonts × weights (400–800) × `chars` at `size`² (default 16², A a e o: the tiny test model's size and
 * class count). Returns the decoded dataset; {@link realGlyphBytes} gives its file bytes.
 */
export async function realGlyphSet(o: { size?: number; chars?: string[] } = {}): Promise<Dataset> {
  return (await build(o)).ds
}

export async function realGlyphBytes(o: { size?: number; chars?: string[] } = {}): Promise<Uint8Array> {
  return (await build(o)).bytes
}

function build(o: { size?: number; chars?: string[] }): Promise<{ ds: Dataset; bytes: Uint8Array }> {
  const size = o.size ?? 16
  const chars = o.chars ?? ['A', 'a', 'e', 'o']
  const key = `${size}|${chars.join('')}`
  if (!cache.has(key)) cache.set(key, make(size, chars))
  return cache.get(key)!
}

async function make(size: number, chars: string[]): Promise<{ ds: Dataset; bytes: Uint8Array }> {
  const margin = Math.round((4 * size) / 64)
  // weight w: the 400 outline stroked (w − 400) / 200 px at 64² on each side
  const styles = (['roboto', 'lora'] as const).flatMap((id) => [400, 500, 600, 700, 800].map((weight) => ({
    id, weight, category: id === 'roboto' ? 'sans' : 'serif', stroke: ((weight - 400) / 200) * (size / 64),
    split: id === 'lora' && weight === 400 ? 'test' : id === 'roboto' && weight === 600 ? 'val' : 'train',
  } as const)))
  const fonts = new Map<string, Font>()
  for (const id of ['roboto', 'lora']) fonts.set(id, await parseWoff2(new Uint8Array(readFileSync(join(fontsDir, id, 'files', `${id}-latin-400-normal.woff2`)))))
  const sources: DatasetSource[] = styles.map((s, id) => ({
    id, name: `${s.id}-${s.weight}`, group: `${s.id}-${s.weight}`, title: `${s.id} ${s.weight}`, license: 'OFL-1.1', licenseUrl: '', author: s.id, url: '',
    split: s.split, tags: [s.category, `weight-${s.weight}`, 'upright'],
  }))
  const items: DatasetItem[] = []
  chars.forEach((ch, classId) => styles.forEach((s, sourceId) => {
    const font = fonts.get(s.id)!
    const layout = fontLayout(font, size, margin)
    const bitmap = s.stroke ? strokedGlyph(font, ch, layout, size, s.stroke) : renderGlyph(font, ch, layout, size)
    items.push({ classId, sourceId, name: `${s.id}-${s.weight}:${ch}`, tags: [ch === ch.toUpperCase() ? 'uppercase' : 'lowercase'], pixels: toUint8(bitmap) })
  }))
  const bytes = encodeDataset({ kind: 'glyphs', size, classes: chars.map((label, id) => ({ id, label, synonyms: [] })), sources }, items)
  return { ds: decodeDataset(bytes), bytes }
}

/** A `tiny`-preset model (16², latent 4) over the dataset's classes, untrained (random He weights). */
export function glyphModelBytes(ds: Dataset, seed = 1): Uint8Array {
  return buildModelFile(
    { name: 'test-glyphs', kind: 'glyphs', classes: ds.classes.map((c) => ({ ...c })), spec: resolveSpec('tiny', ds.classes.length), attribution: [{ source: 'test', license: 'OFL-1.1' }], metrics: {}, createdAt: '2026-01-01T00:00:00.000Z' },
    heInit(seed),
  )
}
