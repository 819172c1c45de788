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

/** A copy of the fixture sets with more sets added (name, square viewBox side, icon bodies), for build-rule tests. */
function fixtureWith(sets: Record<string, { name: string; size: number; icons: Record<string, string> }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iconify-'))
  cpSync(root, dir, { recursive: true })
  const collections = JSON.parse(readFileSync(join(dir, 'collections.json'), 'utf8'))
  for (const [prefix, set] of Object.entries(sets)) {
    collections[prefix] = { name: set.name, total: Object.keys(set.icons).length, author: { name: 'test' }, license: { title: 'MIT', spdx: 'MIT' }, category: 'UI 24px', palette: false }
    const icons = Object.fromEntries(Object.entries(set.icons).map(([k, body]) => [k, { body }]))
    writeFileSync(join(dir, 'json', `${prefix}.json`), JSON.stringify({ prefix, width: set.size, height: set.size, icons }))
  }
  writeFileSync(join(dir, 'collections.json'), JSON.stringify(collections))
  return dir
}

/** The icon build (60 classes, outliers kept) of the fixture sets plus `sets`, and the class label of an item by name. */
function buildWith(sets: Parameters<typeof fixtureWith>[0]) {
  const r = buildIcons({ iconifyRoot: fixtureWith(sets), classes: 60, quiet: true, keepOutliers: true })
  const ds = decodeDataset(r.bytes)
  return { r, ds, labelOf: (name: string) => ds.classes[ds.classIds[ds.names.indexOf(name)]!]?.label }
}
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

describe('alias transforms and label review', () => {
  const mirrorV = (b: { width: number; height: number; data: Float32Array }) => {
    const out = new Float32Array(b.data.length)
    for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) out[y * b.width + x] = b.data[(b.height - 1 - y) * b.width + x]!
    return out
  }

  it('applies an alias vFlip (fa:arrow-down = arrow-up flipped)', () => {
    const up = renderSvgCoverage(svgOf('fa', 'arrow-up').svg, 64)
    const down = renderSvgCoverage(svgOf('fa', 'arrow-down').svg, 64)
    const expected = mirrorV(up)
    let worst = 0
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(down.data[i]! - expected[i]!))
    expect(worst).toBeLessThan(0.1) // anti-aliasing only; a missing flip differs by ~1
  })

  it('applies alias rotate (quarter turns) and hFlip on an asymmetric shape', () => {
    // An L-shaped mark in the top-left corner of a 16×16 box.
    const set = { prefix: 't', width: 16, height: 16, icons: { l: { body: '<path d="M0 0h4v12h8v4H0z" fill="currentColor"/>' } }, aliases: { r1: { parent: 'l', rotate: 1 }, h: { parent: 'l', hFlip: true }, r1h: { parent: 'h', rotate: 1 } } }
    const ink = (name: string, x: number, y: number) => renderSvgCoverage(iconsOf(set).icons.find((i) => i.name === name)!.svg, 16).data[y * 16 + x]!
    expect(ink('l', 1, 1)).toBeGreaterThan(0.9) // stem top-left
    expect(ink('l', 10, 14)).toBeGreaterThan(0.9) // foot along the bottom
    expect(ink('l', 14, 14)).toBeLessThan(0.1)
    expect(ink('r1', 14, 1)).toBeGreaterThan(0.9) // 90° clockwise: stem along the top, foot down the left side
    expect(ink('r1', 1, 10)).toBeGreaterThan(0.9)
    expect(ink('r1', 1, 14)).toBeLessThan(0.1)
    expect(ink('r1', 14, 14)).toBeLessThan(0.1)
    expect(ink('h', 14, 1)).toBeGreaterThan(0.9) // mirrored: stem top-right, foot to the left
    expect(ink('h', 6, 14)).toBeGreaterThan(0.9)
    expect(ink('h', 1, 14)).toBeLessThan(0.1)
    expect(ink('h', 1, 1)).toBeLessThan(0.1)
    expect(ink('r1h', 14, 14)).toBeGreaterThan(0.9) // flip, then turn
    expect(ink('r1h', 1, 1)).toBeLessThan(0.1)
  })

  it('relabels reviewed icons, drops reviewed exclusions and sorts dots by the ink box', () => {
    // Real bodies: guidance's left-arrow points right; mingcute's more-2 is three dots in a column.
    const { r, ds, labelOf } = buildWith({
      guidance: { name: 'Guidance', size: 24, icons: {
        'left-arrow': '<path fill="none" stroke="currentColor" d="M16 5c0 .742.733 1.85 1.475 2.78c.954 1.2 2.094 2.247 3.401 3.046C21.856 11.425 23.044 12 24 12m0 0c-.956 0-2.145.575-3.124 1.174c-1.307.8-2.447 1.847-3.401 3.045C16.733 17.15 16 18.26 16 19m8-7H0"/>',
      } },
      mingcute: { name: 'MingCute', size: 24, icons: {
        'more-1-fill': '<path fill="currentColor" d="M14 12a2 2 0 1 1-4 0a2 2 0 0 1 4 0m-7 0a2 2 0 1 1-4 0a2 2 0 0 1 4 0m14 0a2 2 0 1 1-4 0a2 2 0 0 1 4 0"/>',
        'more-2-fill': '<path fill="currentColor" d="M12 14a2 2 0 1 1 0-4a2 2 0 0 1 0 4m0-7a2 2 0 1 1 0-4a2 2 0 0 1 0 4m0 14a2 2 0 1 1 0-4a2 2 0 0 1 0 4"/>',
        'ellipsis-vertical': '<path fill="currentColor" d="M9 4h6v4H9zm0 6h6v4H9zm0 6h6v4H9z"/>',
        'dots-fill': '<path fill="currentColor" d="M7 4h4v4H7zm6 0h4v4h-4zM7 10h4v4H7zm6 0h4v4h-4zM7 16h4v4H7zm6 0h4v4h-4z"/>',
      } },
    })
    expect(labelOf('guidance:left-arrow')).toBe('arrow-right')
    expect(labelOf('mingcute:more-1-fill')).toBe('dots-horizontal')
    expect(labelOf('mingcute:more-2-fill')).toBe('dots-vertical')
    expect(ds.names).not.toContain('mingcute:dots-fill')
    expect(r.filtered['excluded after review (synonyms.json icons.exclude)']?.examples).toEqual(['mingcute:dots-fill'])
  })

  it('drops arrows without a shaft (chevrons some sets name arrow-down), keeps arrows with one', () => {
    // Real bodies from @iconify/json's ep set: its arrow-down and arrow-left-bold are chevrons; its bottom, top and
    // right (arrows) are planted as arrow-down-bold, arrow-up-bold and arrow-right-bold.
    const { r, ds, labelOf } = buildWith({
      ep: { name: 'Element Plus', size: 1024, icons: {
        'arrow-down': '<path fill="currentColor" d="M831.9 340.9L512 652.7L192.1 340.9a30.6 30.6 0 0 0-42.7 0a29 29 0 0 0 0 41.6l340.3 331.7a32 32 0 0 0 44.6 0l340.3-331.7a29 29 0 0 0 0-41.7a30.6 30.6 0 0 0-42.7 0z"/>',
        'arrow-left-bold': '<path fill="currentColor" d="M685.2 104.7a64 64 0 0 1 0 90.5L368.4 512l316.8 316.8a64 64 0 0 1-90.4 90.5l-362.1-362a64 64 0 0 1 0-90.5l362-362.1a64 64 0 0 1 90.5 0"/>',
        'arrow-down-bold': '<path fill="currentColor" d="M544 805.9V168a32 32 0 1 0-64 0v637.9l-233.3-248a30.7 30.7 0 0 0-45.4 0a35.5 35.5 0 0 0 0 48.1l288 306a30.7 30.7 0 0 0 45.4 0l288-306a35.5 35.5 0 0 0 0-48a30.7 30.7 0 0 0-45.4 0z"/>',
        'arrow-right-bold': '<path fill="currentColor" d="M754.8 480H160a32 32 0 1 0 0 64h594.8L521.3 777.3a32 32 0 0 0 45.4 45.4l288-288a32 32 0 0 0 0-45.4l-288-288a32 32 0 1 0-45.4 45.4z"/>',
        'arrow-up-bold': '<path fill="currentColor" d="M572.2 205.3v600.3a30.1 30.1 0 1 1-60.2 0V205.3L292.4 438.6a29 29 0 0 1-42.7 0a33.4 33.4 0 0 1 0-45.2l271-288a29 29 0 0 1 42.7 0l271.1 288a33.4 33.4 0 0 1 0 45.2a29 29 0 0 1-42.6 0z"/>',
      } },
    })
    // only those two: every arrow of the real fixture sets (Phosphor's plain, bold, thin, fill, duotone; Font Awesome's) keeps its shaft
    expect(r.filtered['arrow without a shaft (a chevron, caret or triangle by shape)']).toEqual({ count: 2, examples: ['ep:arrow-down', 'ep:arrow-left-bold'] })
    expect(labelOf('ep:arrow-down-bold')).toBe('arrow-down')
    expect(labelOf('ep:arrow-up-bold')).toBe('arrow-up')
    expect(labelOf('ep:arrow-right-bold')).toBe('arrow-right')
    const arrows = ds.names.filter((n, i) => /^arrow-(up|down|left|right)$/.test(ds.classes[ds.classIds[i]!]!.label) && !n.startsWith('ep:'))
    expect(arrows.length).toBeGreaterThanOrEqual(12)
  })
})

