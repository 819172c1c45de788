/**
 * Icon name normalisation: `heart-24-filled`, `baseline-favorite-border`, `heart_outline`, `heart-fill-16`
 * → concept `heart` + style tags. The synonym table (synonyms.json) is data, reviewed by eye.
 */
import synonymTable from './synonyms.json' with { type: 'json' }

/** Tokens that name a drawing style, mapped to the dataset's style tags. */
const STYLE_TOKENS: Record<string, string> = {
  outline: 'outline', outlined: 'outline', line: 'outline', lined: 'outline', linear: 'outline', stroke: 'outline',
  regular: 'outline', border: 'outline', empty: 'outline', o: 'outline',
  fill: 'filled', filled: 'filled', solid: 'filled', baseline: 'filled', glyph: 'filled', full: 'filled',
  thin: 'thin', light: 'light', hairline: 'thin', ultralight: 'thin',
  bold: 'bold', heavy: 'bold', black: 'bold',
  duotone: 'duotone', twotone: 'duotone', duo: 'duotone', bulk: 'duotone',
  sharp: 'sharp', round: 'rounded', rounded: 'rounded',
  broken: 'broken', remix: 'remix', flat: 'filled',
}

/** Tokens dropped as size/variant markers (`-16`, `-alt`, `-variant`, `-01`). */
const SIZE_TOKENS = new Set(['8', '10', '12', '14', '16', '20', '24', '28', '32', '36', '40', '48', '64', 'sm', 'md', 'lg', 'xs', 'xl', 'mini', 'micro', 'small', 'large'])
const VARIANT_TOKENS = new Set(['alt', 'variant', 'alternate', 'v2', 'new', 'symbolic', 'icon', 'ico', 'f', 'mdl2'])
/** Container words moved to the end so `circle-check` and `check-circle` meet. */
const CONTAINERS = new Set(['circle', 'square', 'box', 'rounded-square'])
/** Single-token names that are style words themselves and must stay concepts. */
const KEEP_WHOLE = new Set(['line', 'fill', 'bold', 'flat', 'border', 'full', 'empty', 'light', 'circle', 'square', 'box'])

export interface NormalisedName {
  /** The concept after synonym mapping, e.g. `settings`. */
  concept: string
  /** The concept before synonym mapping, e.g. `cog`. */
  raw: string
  /** Style tags, sorted (`['filled']`, `['duotone', 'bold']`). */
  styles: string[]
  /** Variant marker tokens (`alt`, `2`), joined; '' for the main drawing. */
  variant: string
  /** Size marker if any (`16`, `24`), for collapsing size variants. */
  size: string
}

/** Words that, followed by one character, name that character (`letter-f` is the letter F, not an envelope). */
const CHARACTER_WORDS = new Set(['letter', 'alphabet', 'char', 'character', 'number', 'digit', 'alpha'])
/** Token runs kept whole before style stripping (synonyms.json `compounds`), longest first. */
const COMPOUNDS = (synonymTable.compounds as string[]).map((c) => c.split('-')).sort((a, b) => b.length - a.length)

/** Joins `letter` + one character and the reviewed compounds into single tokens. */
function joinCompounds(tokens: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1]
    if (CHARACTER_WORDS.has(tokens[i]!) && next !== undefined && /^[a-z0-9]$/.test(next)) { out.push(`${tokens[i]}-${next}`); i++; continue }
    const c = COMPOUNDS.find((parts) => parts.every((p, k) => tokens[i + k] === p))
    if (c) { out.push(c.join('-')); i += c.length - 1; continue }
    out.push(tokens[i]!)
  }
  return out
}

const synonyms = new Map<string, string>()
for (const [concept, names] of Object.entries(synonymTable.synonyms as Record<string, string[]>)) {
  for (const n of names) synonyms.set(n, concept)
}

/** The canonical concept for a (style-stripped) name, via the synonym table. */
export function canonicalConcept(name: string): string {
  return synonyms.get(name) ?? name
}

/** Synonyms that map onto a concept (for the dataset's class table). */
export function synonymsOf(concept: string): string[] {
  return ((synonymTable.synonyms as Record<string, string[]>)[concept] ?? []).slice().sort()
}

/**
 * Splits an icon name into concept, style tags, variant and size.
 *
 * @example
 * ```ts
 * normaliseIconName('heart-24-filled') // { concept: 'heart', styles: ['filled'], variant: '', size: '24', raw: 'heart' }
 * normaliseIconName('baseline-favorite-border') // concept 'heart', styles ['filled', 'outline'] → ['outline']
 * ```
 */
export function normaliseIconName(name: string): NormalisedName {
  const tokens = joinCompounds(name.toLowerCase().replace(/[_\s.]+/g, '-').split('-').filter(Boolean))
  if (tokens.length === 1 && KEEP_WHOLE.has(tokens[0]!)) {
    return { concept: canonicalConcept(tokens[0]!), raw: tokens[0]!, styles: [], variant: '', size: '' }
  }
  const styles = new Set<string>()
  const variant: string[] = []
  let size = ''
  const rest: string[] = []
  tokens.forEach((t, i) => {
    if (STYLE_TOKENS[t] && !(t === 'o' && i === 0)) styles.add(STYLE_TOKENS[t])
    else if (SIZE_TOKENS.has(t) && i > 0) size = t
    else if (VARIANT_TOKENS.has(t) && i > 0) variant.push(t)
    else if (/^0?[1-9]$/.test(t) && i > 0 && i === tokens.length - 1 - countTrailingMarkers(tokens, i)) variant.push(String(Number(t)))
    else rest.push(t)
  })
  // Material "baseline" is the default filled style; an explicit outline/border wins over it.
  if (styles.has('outline') && styles.has('filled') && tokens.includes('baseline')) styles.delete('filled')
  if (rest.length > 1 && CONTAINERS.has(rest[0]!)) rest.push(rest.shift()!)
  const raw = rest.join('-')
  return { concept: canonicalConcept(raw), raw, styles: [...styles].sort(), variant: variant.join('-'), size }
}

/** How many tokens after position i are style/size/variant markers (so `home-2-fill` treats `2` as variant). */
function countTrailingMarkers(tokens: string[], i: number): number {
  let n = 0
  for (let k = tokens.length - 1; k > i; k--) {
    const t = tokens[k]!
    if (STYLE_TOKENS[t] || SIZE_TOKENS.has(t) || VARIANT_TOKENS.has(t)) n++
    else break
  }
  return n
}

/** Per-icon review decisions (synonyms.json `icons`): `prefix:name` → new concept, or → why it is left out. */
export function iconReview(): { relabel: Record<string, string>; exclude: Record<string, string> } {
  const r = synonymTable.icons as { relabel?: Record<string, string>; exclude?: Record<string, string> }
  return { relabel: r.relabel ?? {}, exclude: r.exclude ?? {} }
}

/** Concept pairs `[wide, tall]` told apart by the rendered ink box (synonyms.json `orientation`). */
export function orientationPairs(): Array<[string, string]> {
  return synonymTable.orientation as Array<[string, string]>
}
