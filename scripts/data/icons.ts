/** The icon dataset: iconify sets → concepts × libraries → 64² coverage, cleaned, split by library group. */
import { encodeDataset } from '../../sdk/data/format.js'
import { assignSplits } from '../../sdk/data/split.js'
import type { DatasetClass, DatasetItem, DatasetSource } from '../../sdk/data/types.js'
import { clean, type Candidate } from './select.js'
import type { FilterReport } from './card.js'
import { groupOf, iconsOf, readCollections, readIconSet, rejectSet, type IconSetInfo } from './iconify.js'
import { iconReview, normaliseIconName, orientationPairs, synonymsOf } from './names.js'
import { rasteriseIcon, toUint8 } from './rasterize.js'
import { inkBox } from '../../sdk/image/fit.js'
import { progress } from './util.js'

export interface IconBuildOptions {
  /** Folder of an `@iconify/json` install (or a fixture with the same layout). */
  iconifyRoot: string
  classes: number
  size?: number
  margin?: number
  /** Most examples of one concept from one library group (default 8), so multi-style sets do not dominate. */
  perGroupCap?: number
  keepOutliers?: boolean
  quiet?: boolean
}

export interface BuildResult {
  bytes: Uint8Array
  filtered: FilterReport
  notes: string[]
}

interface Variant { prefix: string; group: string; name: string; concept: string; raw: string; styles: string[]; variant: string; size: string; svg: string }

const STYLE_TAGS = new Set(['outline', 'filled', 'thin', 'light', 'bold', 'duotone', 'sharp', 'rounded', 'broken', 'remix'])
const sizeRank = (s: string): number => (s === '' ? 0 : Math.abs(Number(s) - 24) + 1)

function note(f: FilterReport, reason: string, example: string): void {
  const r = (f[reason] ??= { count: 0, examples: [] })
  r.count++
  if (r.examples.length < 12) r.examples.push(example)
}

/**
 * For orientation pairs (`dots-horizontal` / `dots-vertical`): the class the render's ink box shows. Libraries
 * name both drawings `more`, `ellipsis` or `dots`, so the name alone cannot tell them apart.
 */
function orientedConcept(concept: string, bitmap: Parameters<typeof inkBox>[0], classIndex: Map<string, number>): string {
  const pair = orientationPairs().find((p) => p.includes(concept))
  const box = pair && inkBox(bitmap, 0.5)
  if (!pair || !box) return concept
  const [wide, tall] = pair
  const w = box.right - box.left, h = box.bottom - box.top
  if (concept === wide && h > 1.5 * w && classIndex.has(tall)) return tall
  if (concept === tall && w > 1.5 * h && classIndex.has(wide)) return wide
  return concept
}

/** Arrow classes and their axis: a drawing of one has a shaft along it. */
const ARROW_AXIS: Record<string, 'vertical' | 'horizontal'> = { 'arrow-down': 'vertical', 'arrow-up': 'vertical', 'arrow-left': 'horizontal', 'arrow-right': 'horizontal' }

/**
 * True when a drawing filed under an arrow class has no shaft: along the arrow's axis, fewer than 70 % of the ink
 * box's rows have ink within 8 px (at 64²; scaled with `size`) of the box's middle. Chevrons, carets and outline
 * triangles that some sets name `arrow-down` (Element Plus, Hugeicons, OUI…) fail it; plain, bold, hollow and
 * filled-head arrows pass (a hollow shaft's two edges lie inside the band).
 */
export function arrowWithoutShaft(concept: string, bitmap: Parameters<typeof inkBox>[0]): boolean {
  const axis = ARROW_AXIS[concept]
  const box = axis && inkBox(bitmap, 0.5)
  if (!axis || !box) return false
  const S = bitmap.width
  const half = Math.round((8 * S) / 64)
  const ink = (a: number, b: number): boolean => (axis === 'vertical' ? bitmap.data[a * S + b]! : bitmap.data[b * S + a]!) > 0.5
  const [a0, a1, b0, b1] = axis === 'vertical' ? [box.top, box.bottom, box.left, box.right] : [box.left, box.right, box.top, box.bottom]
  const mid = Math.round((b0 + b1 - 1) / 2)
  let rows = 0
  for (let a = a0; a < a1; a++) {
    for (let b = Math.max(0, mid - half); b <= Math.min(S - 1, mid + half); b++) {
      if (ink(a, b)) {
        rows++
        break
      }
    }
  }
  return rows < 0.7 * (a1 - a0)
}

/** Builds the icon dataset in memory; returns the `.ltds` bytes and what was filtered. Deterministic. */
export function buildIcons(opts: IconBuildOptions): BuildResult {
  const size = opts.size ?? 64
  const margin = opts.margin ?? 4
  const cap = opts.perGroupCap ?? 8
  const filtered: FilterReport = {}
  const notes: string[] = []
  const review = iconReview()
  const collections = readCollections(opts.iconifyRoot)
  const used: Array<[string, IconSetInfo]> = []
  for (const prefix of Object.keys(collections).sort()) {
    const why = rejectSet(collections[prefix]!, prefix)
    if (why) note(filtered, `set skipped: ${why.split(' ')[0]}`, prefix)
    else used.push([prefix, collections[prefix]!])
  }
  // 1. Every icon → concept + style; collapse size variants to one per (set, concept, styles, variant).
  const best = new Map<string, Variant>()
  for (const [prefix] of used) {
    let set
    try {
      set = readIconSet(opts.iconifyRoot, prefix)
    } catch {
      note(filtered, 'set unreadable', prefix)
      continue
    }
    const { icons, animated } = iconsOf(set)
    for (let k = 0; k < animated; k++) note(filtered, 'animated icon', prefix)
    for (const icon of icons) {
      const n = normaliseIconName(icon.name)
      if (!n.concept) continue
      const id = `${prefix}:${icon.name}`
      if (review.exclude[id]) { note(filtered, 'excluded after review (synonyms.json icons.exclude)', id); continue }
      const concept = review.relabel[id] ?? n.concept
      const styles = n.styles.filter((s) => STYLE_TAGS.has(s))
      const key = `${prefix}|${concept}|${styles.join('+')}|${n.variant}`
      const v: Variant = { prefix, group: groupOf(prefix), name: icon.name, concept, raw: n.raw, styles, variant: n.variant, size: n.size, svg: icon.svg }
      const prev = best.get(key)
      if (!prev) best.set(key, v)
      else {
        note(filtered, 'size variant or alias collapsed', `${prefix}:${icon.name}`)
        if (sizeRank(v.size) < sizeRank(prev.size) || (sizeRank(v.size) === sizeRank(prev.size) && v.name < prev.name)) best.set(key, v)
      }
    }
  }
  // 2. Rank concepts by the number of distinct library groups drawing them.
  const groupsByConcept = new Map<string, Set<string>>()
  for (const v of best.values()) (groupsByConcept.get(v.concept) ?? groupsByConcept.set(v.concept, new Set()).get(v.concept)!).add(v.group)
  const ranked = [...groupsByConcept.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))
  const chosen = ranked.slice(0, opts.classes).map(([c]) => c).sort()
  notes.push(`classes = top ${opts.classes} concepts by number of distinct library groups; the last one kept is drawn by ${ranked[Math.min(opts.classes, ranked.length) - 1]?.[1].size ?? 0} groups`)
  const classIndex = new Map(chosen.map((c, i) => [c, i]))
  // 3. Per (group, concept): at most `cap` variants, distinct styles first.
  const perGroup = new Map<string, Variant[]>()
  for (const v of [...best.values()].sort((a, b) => (a.prefix + a.name < b.prefix + b.name ? -1 : 1))) {
    if (!classIndex.has(v.concept)) continue
    const k = `${v.group}|${v.concept}`
    ;(perGroup.get(k) ?? perGroup.set(k, []).get(k)!).push(v)
  }
  const selected: Variant[] = []
  for (const list of perGroup.values()) {
    const seen = new Set<string>()
    const firsts = list.filter((v) => !seen.has(v.styles.join('+')) && seen.add(v.styles.join('+')))
    const rest = list.filter((v) => !firsts.includes(v))
    const keep = [...firsts, ...rest].slice(0, cap)
    for (const v of list) if (!keep.includes(v)) note(filtered, `over ${cap} per library per class`, `${v.prefix}:${v.name}`)
    selected.push(...keep)
  }
  selected.sort((a, b) => classIndex.get(a.concept)! - classIndex.get(b.concept)! || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.name < b.name ? -1 : 1))
  // 4. Rasterise.
  const bar = opts.quiet ? null : progress('rasterising icons', selected.length)
  const candidates: Candidate[] = []
  for (const v of selected) {
    bar?.tick()
    try {
      const bitmap = rasteriseIcon(v.svg, size, margin)
      const concept = orientedConcept(v.concept, bitmap, classIndex)
      if (concept !== v.concept) note(filtered, 'moved to the class its ink box shows (synonyms.json orientation)', `${v.prefix}:${v.name} → ${concept}`)
      if (arrowWithoutShaft(concept, bitmap)) {
        note(filtered, 'arrow without a shaft (a chevron, caret or triangle by shape)', `${v.prefix}:${v.name}`)
        continue
      }
      candidates.push({ classId: classIndex.get(concept)!, source: v.prefix, name: `${v.prefix}:${v.name}`, tags: v.styles, pixels: toUint8(bitmap) })
    } catch {
      note(filtered, 'SVG failed to render', `${v.prefix}:${v.name}`)
    }
  }
  bar?.done()
  candidates.sort((a, b) => a.classId - b.classId) // stable: keeps the prefix/name order within a class
  // 5. Clean: near-empty, duplicates, outliers.
  const kept = clean(candidates, size, filtered, !opts.keepOutliers)
  // 6. Sources and splits by library group.
  const sourceNames = [...new Set(kept.map((c) => c.source))].sort()
  const itemsPerGroup = new Map<string, number>()
  for (const c of kept) itemsPerGroup.set(groupOf(c.source), (itemsPerGroup.get(groupOf(c.source)) ?? 0) + 1)
  const splits = assignSplits(itemsPerGroup)
  const sources: DatasetSource[] = sourceNames.map((prefix, id) => {
    const info = collections[prefix]!
    return {
      id, name: prefix, group: groupOf(prefix), title: info.name,
      license: info.license.spdx ?? info.license.title, licenseUrl: info.license.url ?? '',
      author: info.author.name, url: info.author.url ?? '', split: splits.get(groupOf(prefix))!, tags: [],
    }
  })
  const sourceId = new Map(sourceNames.map((n, i) => [n, i]))
  const classes: DatasetClass[] = chosen.map((label, id) => ({ id, label, synonyms: synonymsOf(label) }))
  const items: DatasetItem[] = kept.map((c) => ({ classId: c.classId, sourceId: sourceId.get(c.source)!, name: c.name, tags: c.tags, pixels: c.pixels }))
  const ccby = sources.filter((s) => s.license.startsWith('CC-BY'))
  if (ccby.length) notes.push(`CC-BY sources need attribution when redistributing derived images: ${ccby.map((s) => s.title).join(', ')}`)
  return { bytes: encodeDataset({ kind: 'icons', size, classes, sources }, items), filtered, notes }
}
