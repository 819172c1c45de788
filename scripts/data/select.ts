/** Shared cleaning step for both builders: near-empty drop, per-class dedupe, outlier drop, all reported. */
import type { FilterReport } from './card.js'
import { dedupe, isNearEmpty, outliers } from './clean.js'

export interface Candidate {
  classId: number
  source: string
  name: string
  tags: string[]
  pixels: Uint8Array
}

function note(f: FilterReport, reason: string, example: string): void {
  const r = (f[reason] ??= { count: 0, examples: [] })
  r.count++
  if (r.examples.length < 12) r.examples.push(example)
}

/** Returns the candidates that survive, in input order; records every drop in `filtered`. */
/**
 * `maxDiff`: mean thumbnail difference under which two images of a class count as one drawing (icons 0.012;
 * glyphs less, since simple letters like `l` really are alike across fonts). `minInk`: near-empty threshold
 * (glyphs lower: a thin `i` has little ink).
 */
export function clean(candidates: Candidate[], size: number, filtered: FilterReport, dropOutliers: boolean, maxDiff = 0.012, minInk = 0.01): Candidate[] {
  const nonEmpty = candidates.filter((c) => {
    if (!isNearEmpty(c.pixels, minInk)) return true
    note(filtered, 'near-empty or solid render', c.name)
    return false
  })
  const byClass = new Map<number, Candidate[]>()
  for (const c of nonEmpty) (byClass.get(c.classId) ?? byClass.set(c.classId, []).get(c.classId)!).push(c)
  const keep = new Set<Candidate>()
  for (const list of byClass.values()) {
    const { keep: k, dropped } = dedupe(list.map((c) => c.pixels), size, maxDiff)
    for (const d of dropped) note(filtered, 'near-duplicate in class', `${list[d.index]!.name} = ${list[d.duplicateOf]!.name}`)
    const unique = k.map((i) => list[i]!)
    const out = new Set(dropOutliers ? outliers(unique.map((c) => c.pixels), size).map((i) => unique[i]!) : [])
    for (const c of unique) {
      if (out.has(c)) note(filtered, 'outlier far from class centre', c.name)
      else keep.add(c)
    }
  }
  return candidates.filter((c) => keep.has(c))
}
