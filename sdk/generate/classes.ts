/** Class lookup by id, label or synonym (case-insensitive), with "did you mean" suggestions. */
import { LatentypeError } from '../errors.js'
import type { ClassInfo } from '../model/card.js'

/** A class given by label, synonym or numeric id. */
export type ClassRef = string | number

/**
 * Cyrillic and Greek letters that look like Latin ones. NFKC keeps them apart (they are different letters), so a
 * lookup that fails explains the look-alike instead of guessing.
 */
const LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', І: 'I', Ј: 'J', Ѕ: 'S',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o', ν: 'v',
}

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * Resolves a class reference. Strings are trimmed and NFKC-normalised first (full-width "Ａ" is "A"); then an exact
 * label or synonym wins (glyph labels are case-significant: "a" vs "A"), then a unique case-insensitive match.
 */
export function resolveClass(classes: readonly ClassInfo[], ref: ClassRef): ClassInfo {
  const eg = `"${classes[0]!.label}"`
  if (typeof ref === 'number') {
    const c = classes[ref]
    if (!Number.isInteger(ref) || !c) throw new LatentypeError('UNKNOWN_CLASS', `class id ${ref} is out of range — ids go from 0 to ${classes.length - 1}`)
    return c
  }
  if (typeof ref !== 'string') throw new LatentypeError('UNKNOWN_CLASS', `class must be a label (string) or an id (number), got ${ref === null ? 'null' : typeof ref} — e.g. class: ${eg}`)
  const raw = classes.find((c) => c.label === ref)
  if (raw) return raw
  const norm = ref.normalize('NFKC').trim()
  if (norm === '') throw new LatentypeError('UNKNOWN_CLASS', `class is empty — give a label such as ${eg}`)
  const exact = classes.find((c) => c.label === norm) ?? classes.find((c) => c.synonyms.includes(norm))
  if (exact) return exact
  const q = norm.toLowerCase()
  const matches = classes.filter((c) => c.label.toLowerCase() === q || c.synonyms.some((s) => s.toLowerCase() === q))
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new LatentypeError('UNKNOWN_CLASS', `class "${norm}" matches ${matches.map((m) => `"${m.label}"`).join(', ')} when case is ignored — labels are case-significant here; use the exact label`)
  }
  const lookalikes = [...norm].filter((ch) => LOOKALIKES[ch])
  if (lookalikes.length > 0) {
    const latin = [...norm].map((ch) => LOOKALIKES[ch] ?? ch).join('')
    const hit = classes.find((c) => c.label === latin) ?? classes.find((c) => c.label.toLowerCase() === latin.toLowerCase() || c.synonyms.some((s) => s.toLowerCase() === latin.toLowerCase()))
    const which = lookalikes.map((ch) => `"${ch}" (${codePoint(ch)}, ${/[\u0370-\u03ff]/.test(ch) ? 'Greek' : 'Cyrillic'})`).join(', ')
    throw new LatentypeError(
      'UNKNOWN_CLASS',
      `unknown class "${norm}": it contains ${which}, which looks like Latin "${lookalikes.map((ch) => LOOKALIKES[ch]).join('')}"${hit ? ` — did you mean "${hit.label}"? Type it with Latin letters` : ''}`,
    )
  }
  const near = nearestLabels(classes, q, 3)
  const shown = norm === ref ? `"${ref}"` : `"${norm}" (from ${JSON.stringify(ref)})`
  throw new LatentypeError('UNKNOWN_CLASS', `unknown class ${shown} — did you mean ${near.map((n) => `"${n}"`).join(', ')}? (${classes.length} classes; list them with \`latentype info <model>\`)`)
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
