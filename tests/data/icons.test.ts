import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeDataset, splitIndices } from '../../sdk/data/index.js'
import { inkBox } from '../../sdk/image/fit.js'
import { buildIcons } from '../../scripts/data/icons.js'
import { iconsOf, readIconSet } from '../../scripts/data/iconify.js'
import { rasteriseIcon, renderSvgCoverage } from '../../scripts/data/rasterize.js'

const root = new URL('../fixtures/iconify/', import.meta.url).pathname
const svgOf = (prefix: string, name: string) => iconsOf(readIconSet(root, prefix)).icons.find((i) => i.name === name)!

describe('icon rasterisation', () => {
  it('renders currentColor strokes as ink (black on white → coverage)', () => {
    const b = renderSvgCoverage(svgOf('ph', 'heart').svg)
    expect(Math.max(...b.data)).toBeGreaterThan(0.95)
    expect(b.data[0]).toBeLessThan(0.01)
  })

  it('keeps duotone layers as partial coverage', () => {
    const b = rasteriseIcon(svgOf('ph', 'heart-duotone').svg, 64, 4)
    const mid = b.data.filter((v) => v > 0.1 && v < 0.4).length
    expect(mid).toBeGreaterThan(300) // the 20 % opacity fill
  })

  it('fits non-square viewBoxes into the margin, centred', () => {
    const icon = svgOf('fa', 'heart-o')
    expect(icon.width).not.toBe(icon.height)
    const box = inkBox(rasteriseIcon(icon.svg, 64, 4), 0.5)!
    expect(Math.max(box.right - box.left, box.bottom - box.top)).toBeGreaterThanOrEqual(55)
    expect(box.left).toBeGreaterThanOrEqual(3)
    expect(64 - box.right).toBeGreaterThanOrEqual(3)
    expect(Math.abs(box.top - (64 - box.bottom))).toBeLessThanOrEqual(2)
  })
})

describe('buildIcons on the fixture sets', () => {
  it('builds classes drawn by both libraries, reproducibly', () => {
    const a = buildIcons({ iconifyRoot: root, classes: 20, quiet: true })
    const b = buildIcons({ iconifyRoot: root, classes: 20, quiet: true })
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true)
    const ds = decodeDataset(a.bytes)
    expect(ds.classes.map((c) => c.label)).toEqual(expect.arrayContaining(['heart', 'home', 'settings', 'search']))
    expect(new Set(ds.sources.map((s) => s.name))).toEqual(new Set(['fa', 'ph']))
    expect(ds.count).toBeGreaterThan(20)
  })

  it('never puts one library in two splits', () => {
    const ds = decodeDataset(buildIcons({ iconifyRoot: root, classes: 10, quiet: true }).bytes)
    for (const split of ['train', 'val', 'test'] as const) {
      for (const i of splitIndices(ds, split)) expect(ds.sources[ds.sourceIds[i]!]!.split).toBe(split)
    }
    const splitOfSource = new Map<number, Set<number>>()
    for (let i = 0; i < ds.count; i++) (splitOfSource.get(ds.sourceIds[i]!) ?? splitOfSource.set(ds.sourceIds[i]!, new Set()).get(ds.sourceIds[i]!)!).add(ds.splitCodes[i]!)
    for (const s of splitOfSource.values()) expect(s.size).toBe(1)
  })

  it('skips and counts SVG that fails to parse or renders empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iconify-'))
    cpSync(root, dir, { recursive: true })
    const file = join(dir, 'json', 'ph.json')
    const set = JSON.parse(readFileSync(file, 'utf8'))
    set.icons['star-thin'] = { body: '<path d="M0 0 L10 10" stroke="currentColor"' } // unterminated tag
    set.icons['bell-thin'] = { body: '<g/>' } // renders empty
    writeFileSync(file, JSON.stringify(set))
    const r = buildIcons({ iconifyRoot: dir, classes: 20, quiet: true })
    expect(r.filtered['SVG failed to render']?.examples).toContain('ph:star-thin')
    expect(r.filtered['near-empty or solid render']?.examples).toContain('ph:bell-thin')
    expect(decodeDataset(r.bytes).names).not.toContain('ph:star-thin')
  })
})
