import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { describe, expect, it } from 'vitest'
import { decodeDataset } from '../../sdk/data/index.js'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { inkBox, resampleArea } from '../../sdk/image/fit.js'
import { fontLayout, GLYPH_CHARS, missingGlyphs, parseWoff2, renderGlyph } from '../../scripts/data/fonts.js'
import { buildGlyphs, type FontPackage } from '../../scripts/data/glyphs.js'

const fontsDir = new URL('../fixtures/fonts/', import.meta.url).pathname
const pkg = (dir: string): FontPackage => ({ dir, meta: JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) })

describe('glyph rendering', () => {
  it('uses one scale per font on a shared baseline (o smaller than O, same baseline as x)', async () => {
    const font = await parseWoff2(new Uint8Array(readFileSync(join(fontsDir, 'roboto', 'files', 'roboto-latin-400-normal.woff2'))))
    expect(missingGlyphs(font)).toEqual([])
    const layout = fontLayout(font, 64, 4)
    const box = (ch: string) => inkBox(renderGlyph(font, ch, layout, 64), 0.5)!
    const o = box('o'), O = box('O'), x = box('x'), p = box('p')
    expect(O.bottom - O.top).toBeGreaterThan((o.bottom - o.top) * 1.2)
    expect(Math.abs(o.bottom - x.bottom)).toBeLessThanOrEqual(1)
    expect(Math.abs(O.bottom - x.bottom)).toBeLessThanOrEqual(1)
    expect(p.bottom).toBeGreaterThan(x.bottom + 5) // descender below the baseline
    // centred horizontally
    expect(Math.abs(o.left - (64 - o.right))).toBeLessThanOrEqual(1)
  })
})

/**
 * Reference render, independent of our path serialiser: the glyph's outline in font units (TrueType points and
 * implied midpoints, written with String()) placed by an SVG transform, rasterised by resvg the same way.
 */
function referenceGlyph(font: Awaited<ReturnType<typeof parseWoff2>>, ch: string, layout: ReturnType<typeof fontLayout>, size: number): Bitmap {
  const over = 4
  const g = font.charToGlyph(ch)
  const bb = g.getBoundingBox()
  const s = layout.scale * over
  const x = (size * over) / 2 - ((bb.x1 + bb.x2) / 2) * s
  const d = g.path.commands.map((c) => c.type === 'Z' ? 'Z' : c.type === 'Q' ? `Q${c.x1} ${c.y1} ${c.x} ${c.y}` : c.type === 'C' ? `C${c.x1} ${c.y1} ${c.x2} ${c.y2} ${c.x} ${c.y}` : `${c.type}${c.x} ${c.y}`).join('')
  expect(d).not.toMatch(/NaN|e/)
  const big = size * over
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${big}" height="${big}"><path transform="translate(${x} ${layout.baseline * over}) scale(${s} ${-s})" d="${d}"/></svg>`
  const px = new Resvg(svg, { background: '#ffffff' }).render().pixels
  const cov = createBitmap(big, big)
  for (let i = 0; i < cov.data.length; i++) cov.data[i] = (255 - px[i * 4 + 1]!) / 255
  return resampleArea(cov, 0, 0, big, big, size, size)
}

describe('glyph outlines are complete (regression: opentype.js toPathData wrote NaN and truncated outlines)', () => {
  // With Path.toPathData(3), Lora 400 rendered G P c q r v w z 5 6 truncated (e.g. `q` as a sliver): a coordinate
  // such as 240.00000000000003 was written as "NaN" and resvg stopped drawing there.
  it.each(['roboto', 'lora'])('every %s glyph matches a reference render of its font-unit outline', async (id) => {
    const font = await parseWoff2(new Uint8Array(readFileSync(join(fontsDir, id, 'files', `${id}-latin-400-normal.woff2`))))
    const layout = fontLayout(font, 64, 4)
    for (const ch of GLYPH_CHARS) {
      const got = renderGlyph(font, ch, layout, 64).data
      const ref = referenceGlyph(font, ch, layout, 64).data
      let ink = 0, refInk = 0, worst = 0
      for (let i = 0; i < ref.length; i++) { ink += got[i]!; refInk += ref[i]!; worst = Math.max(worst, Math.abs(got[i]! - ref[i]!)) }
      expect({ ch, worst: worst < 0.1, ink: Math.abs(ink - refInk) / refInk < 0.01 }).toEqual({ ch, worst: true, ink: true })
    }
  })
})

describe('buildGlyphs on the fixture fonts', () => {
  it('builds 62 classes per font with style tags and splits by family', async () => {
    const r = await buildGlyphs({ packages: [pkg(join(fontsDir, 'roboto')), pkg(join(fontsDir, 'lora'))], fonts: 10, quiet: true })
    const ds = decodeDataset(r.bytes)
    expect(ds.classes.map((c) => c.label).join('')).toBe(GLYPH_CHARS.join(''))
    expect(ds.count).toBe(124)
    expect(ds.sources.map((s) => s.tags)).toEqual(expect.arrayContaining([['serif', 'weight-400', 'upright'], ['sans', 'weight-400', 'upright']]))
    expect(ds.sources.every((s) => s.license === 'OFL-1.1')).toBe(true)
  })

  it('skips and counts a font that fails to decompress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'))
    cpSync(join(fontsDir, 'lora'), join(dir, 'broken'), { recursive: true })
    const meta = JSON.parse(readFileSync(join(dir, 'broken', 'metadata.json'), 'utf8'))
    writeFileSync(join(dir, 'broken', 'metadata.json'), JSON.stringify({ ...meta, id: 'broken' }))
    const good = readFileSync(join(fontsDir, 'lora', 'files', 'lora-latin-400-normal.woff2'))
    writeFileSync(join(dir, 'broken', 'files', 'broken-latin-400-normal.woff2'), good.subarray(0, 2000))
    const r = await buildGlyphs({ packages: [pkg(join(fontsDir, 'roboto')), pkg(join(dir, 'broken'))], fonts: 10, quiet: true })
    expect(r.filtered['font failed to decompress or parse']?.examples).toEqual(['broken-400'])
    expect(decodeDataset(r.bytes).count).toBe(62)
  })
})
