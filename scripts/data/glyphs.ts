/** The glyph dataset: @fontsource woff2 styles → 62 classes × font styles, one scale per font, split by family. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeDataset } from '../../sdk/data/format.js'
import { assignSplits } from '../../sdk/data/split.js'
import type { DatasetClass, DatasetItem, DatasetSource } from '../../sdk/data/types.js'
import type { FilterReport } from './card.js'
import { dHash, hamming } from './clean.js'
import { fontLayout, GLYPH_CHARS, missingGlyphs, parseWoff2, renderGlyph } from './fonts.js'
import type { BuildResult } from './icons.js'
import { clean, type Candidate } from './select.js'
import { progress } from './util.js'
import { toUint8 } from './rasterize.js'

/** A fontsource package on disk: its folder and parsed metadata.json. */
export interface FontPackage {
  dir: string
  meta: { id: string; family: string; weights: number[]; styles: string[]; category: string; license: { type: string; url?: string; attribution?: string } }
}

export interface GlyphBuildOptions {
  packages: FontPackage[]
  /** How many font styles to keep (default 300). */
  fonts: number
  size?: number
  margin?: number
  minDistinct?: number
  quiet?: boolean
}

const CATEGORY: Record<string, string> = { 'sans-serif': 'sans', serif: 'serif', display: 'display', handwriting: 'handwriting', monospace: 'mono' }
/** Style rounds: every family's regular first, then bold, italic, light, … so the selection spreads over families. */
const ROUNDS: Array<[number, string]> = [[400, 'normal'], [700, 'normal'], [400, 'italic'], [300, 'normal'], [900, 'normal'], [700, 'italic'], [500, 'normal'], [100, 'normal'], [800, 'normal'], [200, 'normal'], [600, 'normal'], [300, 'italic'], [900, 'italic']]

/** The @fontsource packages listed in scripts/data/package.json, in that (popularity) order, that are installed. */
export function fontsourcePackages(): FontPackage[] {
  const here = new URL('.', import.meta.url).pathname
  const deps = Object.keys((JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies)
  return deps.filter((d) => d.startsWith('@fontsource/')).flatMap((d) => {
    const dir = join(here, 'node_modules', d)
    if (!existsSync(join(dir, 'metadata.json'))) return []
    return [{ dir, meta: JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as FontPackage['meta'] }]
  })
}

/** Split group of a family: its first word (`roboto-slab` → `roboto`, `ibm-plex-sans` → `ibm`). */
export const familyGroup = (id: string): string => id.split('-')[0]!

function note(f: FilterReport, reason: string, example: string): void {
  const r = (f[reason] ??= { count: 0, examples: [] })
  r.count++
  if (r.examples.length < 12) r.examples.push(example)
}

export async function buildGlyphs(opts: GlyphBuildOptions): Promise<BuildResult> {
  const size = opts.size ?? 64
  const margin = opts.margin ?? 4
  const minDistinct = opts.minDistinct ?? 55
  const filtered: FilterReport = {}
  const plan: Array<{ pkg: FontPackage; weight: number; style: string }> = []
  for (const [weight, style] of ROUNDS) {
    for (const pkg of opts.packages) if (pkg.meta.weights.includes(weight) && pkg.meta.styles.includes(style)) plan.push({ pkg, weight, style })
  }
  const accepted: Array<{ name: string; pkg: FontPackage; weight: number; style: string; glyphs: Uint8Array[] }> = []
  const bar = opts.quiet ? null : progress('rendering font styles', Math.min(opts.fonts, plan.length))
  for (const { pkg, weight, style } of plan) {
    if (accepted.length >= opts.fonts) break
    const name = `${pkg.meta.id}-${weight}${style === 'italic' ? '-italic' : ''}`
    const file = join(pkg.dir, 'files', `${pkg.meta.id}-latin-${weight}-${style}.woff2`)
    if (!existsSync(file)) { note(filtered, 'font file missing (no latin subset)', name); continue }
    let font
    try {
      font = await parseWoff2(new Uint8Array(readFileSync(file)))
    } catch {
      note(filtered, 'font failed to decompress or parse', name)
      continue
    }
    const missing = missingGlyphs(font)
    if (missing.length) { note(filtered, 'font missing some of the 62 glyphs', `${name} (${missing.slice(0, 5).join('')})`); continue }
    const layout = fontLayout(font, size, margin)
    let glyphs: Uint8Array[]
    try {
      glyphs = GLYPH_CHARS.map((ch) => toUint8(renderGlyph(font, ch, layout, size)))
    } catch {
      note(filtered, 'glyph failed to render', name)
      continue
    }
    const hashes = glyphs.map((g) => dHash(g, size))
    const distinct = hashes.filter((h, i) => hashes.slice(0, i).every((o) => hamming(h, o) > 4)).length
    if (distinct < minDistinct) { note(filtered, `fewer than ${minDistinct} distinct shapes (caps-only or symbol font)`, `${name} (${distinct})`); continue }
    accepted.push({ name, pkg, weight, style, glyphs })
    bar?.tick()
  }
  bar?.done()
  const candidates: Candidate[] = []
  for (const a of accepted) a.glyphs.forEach((pixels, classId) => candidates.push({ classId, source: a.name, name: `${a.name}:${GLYPH_CHARS[classId]}`, tags: [classId < 26 ? 'uppercase' : classId < 52 ? 'lowercase' : 'digit'], pixels }))
  const kept = clean(candidates, size, filtered, false, 0.004, 0.002)
  const sourceNames = [...new Set(kept.map((c) => c.source))].sort()
  const byName = new Map(accepted.map((a) => [a.name, a]))
  const itemsPerGroup = new Map<string, number>()
  for (const c of kept) {
    const g = familyGroup(byName.get(c.source)!.pkg.meta.id)
    itemsPerGroup.set(g, (itemsPerGroup.get(g) ?? 0) + 1)
  }
  const splits = assignSplits(itemsPerGroup)
  const sources: DatasetSource[] = sourceNames.map((n, id) => {
    const a = byName.get(n)!
    const m = a.pkg.meta
    const weightName = ({ 100: 'Thin', 200: 'ExtraLight', 300: 'Light', 400: 'Regular', 500: 'Medium', 600: 'SemiBold', 700: 'Bold', 800: 'ExtraBold', 900: 'Black' } as Record<number, string>)[a.weight]
    return {
      id, name: n, group: familyGroup(m.id), title: `${m.family} ${weightName}${a.style === 'italic' ? ' Italic' : ''}`,
      license: m.license.type, licenseUrl: m.license.url ?? '', author: m.license.attribution ?? m.family, url: `https://fontsource.org/fonts/${m.id}`,
      split: splits.get(familyGroup(m.id))!, tags: [CATEGORY[m.category] ?? m.category, `weight-${a.weight}`, a.style === 'italic' ? 'italic' : 'upright'],
    }
  })
  const sourceId = new Map(sourceNames.map((n, i) => [n, i]))
  const classes: DatasetClass[] = GLYPH_CHARS.map((label, id) => ({ id, label, synonyms: [] }))
  const items: DatasetItem[] = kept
    .map((c) => ({ classId: c.classId, sourceId: sourceId.get(c.source)!, name: c.name, tags: c.tags, pixels: c.pixels }))
    .sort((a, b) => a.classId - b.classId || a.sourceId - b.sourceId)
  const notes = [`${accepted.length} font styles from ${new Set(accepted.map((a) => a.pkg.meta.id)).size} families; one scale per font (union box of the 62 glyphs), shared baseline, each glyph centred horizontally`]
  return { bytes: encodeDataset({ kind: 'glyphs', size, classes, sources }, items), filtered, notes }
}
