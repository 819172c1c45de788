/**
 * True vector outlines of dataset items at 4× the raster size (256² for 64²), framed exactly as the data build
 * framed the raster — its own code does the layout: glyphs are the font's opentype.js path with the font-wide
 * scale and baseline (scripts/data/fonts.ts), icons the source SVG from @iconify/json framed on its ink box
 * (scripts/data/rasterize.ts, sdk/image/fit.ts). Used by `npm run eval` (reconstruction fidelity) and by tests
 * (on the fixtures in tests/fixtures). The font and icon packages come from the data build's own install
 * (`npm install --prefix scripts/data`); without them {@link trueOutlines} says why and eval skips the measure.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Dataset } from '../../sdk/data/types.js'
import type { OutlineOf } from '../../sdk/eval/fidelity.js'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { fitFrame, fitToBox } from '../../sdk/image/fit.js'
import { fontLayout, parseWoff2, renderGlyphOutline, type FontLayout } from '../data/fonts.js'
import { iconsOf, readIconSet } from '../data/iconify.js'
import { RENDER_PX, renderSvgCoverage } from '../data/rasterize.js'

/** Outlines are drawn at this multiple of the raster size. */
export const OUTLINE_SCALE = 4
/** The data build's margin at 64² (scripts/data: glyphs.ts, icons.ts), scaled with the size. */
const marginFor = (size: number): number => Math.round((4 * size) / 64)

const here = new URL('.', import.meta.url).pathname
export const DATA_PACKAGES = join(here, '..', 'data', 'node_modules')

export interface OutlineSources {
  /** Folder of one @fontsource package by font id (default scripts/data/node_modules/@fontsource/<id>). */
  fontDir?: (id: string) => string
  /** Root of an @iconify/json install (default scripts/data/node_modules/@iconify/json). */
  iconifyRoot?: string
}

/** `roboto-700-italic` → the woff2 file of that style inside the package folder. */
export function fontFileOf(source: string, fontDir: (id: string) => string): string | null {
  const m = /^(.+)-(\d{3})(-italic)?$/.exec(source)
  if (!m) return null
  return join(fontDir(m[1]!), 'files', `${m[1]}-latin-${m[2]}-${m[3] ? 'italic' : 'normal'}.woff2`)
}

/** A glyph's true outline: the font's path at 4× with the dataset's font-wide layout. */
export function glyphOutline(font: Parameters<typeof fontLayout>[0], ch: string, size: number, layout: FontLayout = fontLayout(font, size, marginFor(size))): Bitmap {
  return renderGlyphOutline(font, ch, layout, size, OUTLINE_SCALE)
}

/**
 * An icon's true outline: the SVG rendered by resvg at the data build's resolution (256 px on the longer side) and
 * framed on its ink box as rasteriseIcon frames it, into `size·4` px instead of `size` (the same source square:
 * fitToBox's frame depends on size and margin only through their ratio).
 */
export function iconOutline(svg: string, size: number): Bitmap | null {
  const render = renderSvgCoverage(svg, RENDER_PX)
  return fitFrame(render, size, marginFor(size)) ? fitToBox(render, size * OUTLINE_SCALE, marginFor(size) * OUTLINE_SCALE) : null
}

/**
 * The true-outline lookup for a dataset's items, or the reason it cannot be built (packages not installed).
 * Fonts are parsed once per source, icon sets read once per prefix.
 */
export async function trueOutlines(ds: Dataset, items: readonly number[], o: OutlineSources = {}): Promise<{ outlineOf: OutlineOf } | { missing: string }> {
  const install = 'install the data build\'s packages with `npm install --prefix scripts/data`'
  if (ds.kind === 'glyphs') {
    const fontDir = o.fontDir ?? ((id: string) => join(DATA_PACKAGES, '@fontsource', id))
    const fonts = new Map<number, { font: Awaited<ReturnType<typeof parseWoff2>>; layout: FontLayout } | null>()
    for (const item of items) {
      const src = ds.sourceIds[item]!
      if (fonts.has(src)) continue
      const file = fontFileOf(ds.sources[src]!.name, fontDir)
      if (!file || !existsSync(file)) {
        fonts.set(src, null)
        continue
      }
      const font = await parseWoff2(new Uint8Array(readFileSync(file)))
      fonts.set(src, { font, layout: fontLayout(font, ds.size, marginFor(ds.size)) })
    }
    if (![...fonts.values()].some(Boolean)) return { missing: `no font file of the ${fonts.size} held-out font styles is installed — ${install}` }
    return {
      outlineOf: (item) => {
        const f = fonts.get(ds.sourceIds[item]!)
        return f ? glyphOutline(f.font, ds.classes[ds.classIds[item]!]!.label, ds.size, f.layout) : null
      },
    }
  }
  if (ds.kind === 'icons') {
    const root = o.iconifyRoot ?? join(DATA_PACKAGES, '@iconify', 'json')
    if (!existsSync(join(root, 'collections.json'))) return { missing: `@iconify/json is not installed at ${root} — ${install}` }
    const sets = new Map<string, Map<string, string>>()
    const svgOf = (name: string): string | null => {
      const [prefix, icon] = name.split(':') as [string, string]
      if (!sets.has(prefix)) {
        const file = join(root, 'json', `${prefix}.json`)
        sets.set(prefix, existsSync(file) ? new Map(iconsOf(readIconSet(root, prefix)).icons.map((i) => [i.name, i.svg])) : new Map())
      }
      return sets.get(prefix)!.get(icon) ?? null
    }
    return {
      outlineOf: (item) => {
        const svg = svgOf(ds.names[item]!)
        return svg ? iconOutline(svg, ds.size) : null
      },
    }
  }
  return { missing: `no true outlines for a "${ds.kind}" dataset (glyphs and icons only)` }
}
