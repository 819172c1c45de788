/** Fonts: woff2 → TTF (wawoff2) → opentype.js; glyphs drawn at one scale per font on a shared baseline. */
import { Resvg } from '@resvg/resvg-js'
import * as opentypeModule from 'opentype.js'
import type * as opentype from 'opentype.js'
import decompress from 'wawoff2/decompress.js'
import { LatentypeError } from '../../sdk/errors.js'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { resampleArea } from '../../sdk/image/fit.js'
import { svgPathData } from './path-data.js'

/** The 62 glyph classes, in class-id order. */
export const GLYPH_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789']

/** Parses woff2 bytes into an opentype.js font; throws BAD_DATASET when decompression or parsing fails. */
export async function parseWoff2(bytes: Uint8Array): Promise<opentype.Font> {
  let ttf: Uint8Array
  try {
    ttf = await decompress(bytes)
  } catch (cause) {
    throw new LatentypeError('BAD_DATASET', 'font does not decompress as woff2 — the file is damaged or not woff2; reinstall the package', { cause })
  }
  try {
    // The package is CommonJS under tsx (namespace has only `default`) and ESM elsewhere: accept both.
    const ns = opentypeModule as unknown as { parse?: typeof opentypeModule.parse; default?: { parse: typeof opentypeModule.parse } }
    const parse = ns.parse ?? ns.default!.parse
    return parse(ttf.buffer.slice(ttf.byteOffset, ttf.byteOffset + ttf.byteLength) as ArrayBuffer)
  } catch (cause) {
    throw new LatentypeError('BAD_DATASET', 'font does not parse as OpenType — skip it or update opentype.js', { cause })
  }
}

/** Characters among `chars` that the font has no (non-empty) outline for. */
export function missingGlyphs(font: opentype.Font, chars: string[] = GLYPH_CHARS): string[] {
  return chars.filter((ch) => {
    const g = font.charToGlyph(ch)
    return !g || g.index === 0 || !g.path || g.path.commands.length === 0
  })
}

/** Font-wide layout: one scale for every glyph and a shared baseline, so `o` stays smaller than `O`. */
export interface FontLayout {
  /** Pixels per font unit. */
  scale: number
  /** Baseline row in pixels from the top. */
  baseline: number
}

/**
 * One scale and baseline per font: the union of the 62 glyphs' boxes (highest ascender to lowest descender,
 * widest glyph) is fitted into `size - 2·margin` and centred vertically. Per-glyph scaling would make `o` and
 * `O` identical; this keeps their relative sizes and positions.
 */
export function fontLayout(font: opentype.Font, size: number, margin: number, chars: string[] = GLYPH_CHARS): FontLayout {
  let yMax = -Infinity
  let yMin = Infinity
  let wMax = 0
  for (const ch of chars) {
    const bb = font.charToGlyph(ch).getBoundingBox()
    yMax = Math.max(yMax, bb.y2)
    yMin = Math.min(yMin, bb.y1)
    wMax = Math.max(wMax, bb.x2 - bb.x1)
  }
  const inner = size - 2 * margin
  const scale = inner / Math.max(yMax - yMin, wMax, 1)
  const baseline = size / 2 + ((yMax + yMin) / 2) * scale
  return { scale, baseline }
}

/**
 * Renders one glyph as a `size`×`size` coverage bitmap: font-wide scale and baseline from {@link fontLayout},
 * centred horizontally on its own ink box. Rendered 4× larger with resvg ({@link renderGlyphOutline}), then
 * area-averaged down.
 */
export function renderGlyph(font: opentype.Font, ch: string, layout: FontLayout, size: number): Bitmap {
  const big = renderGlyphOutline(font, ch, layout, size, 4)
  return resampleArea(big, 0, 0, big.width, big.height, size, size)
}

/**
 * The glyph's true outline as coverage at `size·over` px, framed exactly as {@link renderGlyph}'s `size` px raster
 * (which is this bitmap area-averaged down when `over` is 4): what reconstructions are scored against.
 */
export function renderGlyphOutline(font: opentype.Font, ch: string, layout: FontLayout, size: number, over: number): Bitmap {
  const glyph = font.charToGlyph(ch)
  const bb = glyph.getBoundingBox()
  const fontSize = layout.scale * font.unitsPerEm * over
  const x = (size * over) / 2 - ((bb.x1 + bb.x2) / 2) * layout.scale * over
  // Our own serialiser, not Path.toPathData: see path-data.ts (opentype.js 2.0.0 writes NaN for some coordinates).
  const d = svgPathData(glyph.getPath(x, layout.baseline * over, fontSize).commands, 3)
  const big = size * over
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${big}" height="${big}" viewBox="0 0 ${big} ${big}"><path d="${d}" fill="#000"/></svg>`
  const render = new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: false } }).render()
  const cov = createBitmap(big, big)
  const px = render.pixels
  for (let i = 0, p = 0; i < cov.data.length; i++, p += 4) cov.data[i] = (255 - (0.2126 * px[p]! + 0.7152 * px[p + 1]! + 0.0722 * px[p + 2]!)) / 255
  return cov
}

/** SVG path data for a text label (no shaping: one glyph after another), for contact-sheet captions. */
export function textPath(font: opentype.Font, text: string, x: number, baseline: number, fontSize: number): string {
  let pen = x
  const parts: string[] = []
  for (const ch of text) {
    const g = font.charToGlyph(ch)
    parts.push(svgPathData(g.getPath(pen, baseline, fontSize).commands, 2))
    pen += ((g.advanceWidth ?? font.unitsPerEm / 2) * fontSize) / font.unitsPerEm
  }
  return parts.join('')
}
