/**
 * Real drawings as Figma exports a selected layer (black ink on transparent PNG, 256 px): Roboto glyphs at a
 * weight from tests/fixtures/fonts, Phosphor icons of one weight from tests/fixtures/iconify.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fontLayout, parseWoff2, renderGlyph } from '../../scripts/data/fonts.js'
import { iconsOf, readIconSet } from '../../scripts/data/iconify.js'
import { renderSvgCoverage } from '../../scripts/data/rasterize.js'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { fitToBox } from '../../sdk/image/fit.js'
import { encodePng } from '../../sdk/image/png.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SIZE = 256

/** Coverage → RGBA PNG bytes (black, alpha = coverage). */
function coveragePng(cov: Bitmap): Uint8Array {
  const rgba = new Uint8Array(cov.width * cov.height * 4)
  for (let i = 0; i < cov.data.length; i++) rgba[i * 4 + 3] = Math.round(cov.data[i]! * 255)
  return encodePng({ width: cov.width, height: cov.height, data: rgba })
}

/** Roboto `ch` at `weight` (300, 400 or 700), as a PNG of a selected text layer. */
export async function robotoPng(ch: string, weight: 300 | 400 | 700): Promise<Uint8Array> {
  const font = await parseWoff2(new Uint8Array(readFileSync(join(ROOT, `tests/fixtures/fonts/roboto/files/roboto-latin-${weight}-normal.woff2`))))
  return coveragePng(renderGlyph(font, ch, fontLayout(font, SIZE, 16), SIZE))
}

let phosphor: Map<string, string> | null = null

/** Phosphor icon `name` (e.g. `heart-fill`, `bell-thin`), as a PNG of a selected icon layer. */
export function phosphorPng(name: string): Uint8Array {
  phosphor ??= new Map(iconsOf(readIconSet(join(ROOT, 'tests/fixtures/iconify'), 'ph')).icons.map((i) => [i.name, i.svg]))
  const svg = phosphor.get(name)
  if (!svg) throw new Error(`no Phosphor icon "${name}" in tests/fixtures/iconify`)
  return coveragePng(fitToBox(renderSvgCoverage(svg, SIZE), SIZE, 16))
}
