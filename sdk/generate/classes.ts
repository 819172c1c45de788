/** Class lookup by id, label or synonym (case-insensitive), with "did you mean" suggestions. */
import { LatentypeError } from '../errors.js'
import type { ClassInfo } from '../model/card.js'

/** A class given by label, synonym or numeric id. */
export type ClassRef = string | number

export function resolveClass(classes: readonly ClassInfo[], ref: ClassRef): ClassInfo {
  if (typeof ref === 'number') {
    const c = classes[ref]
    if (!Number.isInteger(ref) || !c) throw new LatentypeError('UNKNOWN_CLASS', `class id ${ref} is out of range — ids go from 0 to ${classes.length - 1}`)
    return c
  }
  if (typeof ref !== 'string' || ref.trim() === '') throw new LatentypeError('UNKNOWN_CLASS', 'class is empty — give a label such as "' + classes[0]!.label + '"')
  // Glyph labels are case-significant ("a" vs "A"): an exact match wins before the case-insensitive one.
  const exact = classes.find((c) => c.label === ref) ?? classes.find((c) => c.synonyms.includes(ref))
  if (exact) return exact
  const q = ref.trim().toLowerCase()
  const matches = classes.filter((c) => c.label.toLowerCase() === q || c.synonyms.some((s) => s.toLowerCase() === q))
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new LatentypeError('UNKNOWN_CLASS', `class "${ref}" is ambiguous: ${matches.map((m) => `"${m.label}"`).join(', ')} — use the exact label`)
  }
  const near = nearestLabels(classes, q, 3)
  throw new LatentypeError('UNKNOWN_CLASS', `unknown class "${ref}" — did you mean ${near.map((n) => `"${n}"`).join(', ')}? (${classes.length} classes; list them with \`latentype info <model>\`)`)
}

/** Labels closest to `query` by edit distance over labels and synonyms. */
export function nearestLabels(classes: readonly ClassInfo[], query: string, k: number): string[] {
  const scored = classes.map((c) => ({ label: c.label, d: Math.min(...[c.label, ...c.synonyms].map((s) => editDistance(s.toLowerCase(), query))) }))
  scored.sort((a, b) => a.d - b.d || a.label.localeCompare(b.label))
  return scored.slice(0, k).map((s) => s.label)
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]!
}
