import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeDataset } from '../../sdk/data/index.js'
import { inkBox } from '../../sdk/image/fit.js'
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
