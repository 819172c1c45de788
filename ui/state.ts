/** Pure UI logic (no DOM, no worker): class search, slider order, directions, names. Tested in Node. */
import type { ClassInfo, LatentDirection, ModelCard } from '../sdk/model/card.js'
import type { VariantData } from '../plugin/protocol.js'

export interface Variant {
  id: number
  class: ClassInfo
  seed: number
  temperature: number
  /** The latent as sampled (Reset returns here). */
  original: Float32Array
  /** The latent as edited by sliders. */
  latent: Float32Array
  /** Current value of each named direction slider. */
  dirs: Record<string, number>
  bitmap: { width: number; height: number; data: Float32Array }
  /** Name suffix for variants that did not come from one seed (interpolation, style transfer). */
  origin?: string
}

/**
 * Classes matching a search over labels and synonyms: exact label (case-sensitive, so "a" ≠ "A") first, then
 * case-insensitive exact label/synonym, then prefix matches, then substring matches; stable within a group.
 */
export function searchClasses(classes: readonly ClassInfo[], query: string): ClassInfo[] {
  const raw = query.trim()
  if (!raw) return classes.slice()
  const q = raw.toLowerCase()
  const rank = (c: ClassInfo): number => {
    const names = [c.label, ...c.synonyms].map((s) => s.toLowerCase())
    if (c.label === raw) return 0
    if (names.includes(q)) return 1
    if (names.some((n) => n.startsWith(q))) return 2
    if (names.some((n) => n.includes(q))) return 3
    return 9
  }
  return classes
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r < 9)
    .sort((a, b) => a.r - b.r || a.c.id - b.c.id)
    .map((x) => x.c)
}

/** Latent dimensions ordered by how much they matter (card.latentKl, high first); natural order without it. */
export function sliderOrder(card: Pick<ModelCard, 'latentSize' | 'latentKl'>): number[] {
  const dims = Array.from({ length: card.latentSize }, (_, i) => i)
  const kl = card.latentKl
  if (!kl) return dims
  return dims.sort((a, b) => kl[b]! - kl[a]! || a - b)
}

/** Dimensions whose KL marks them active (> 0.01 nats); all of them without KL. */
export function activeDims(card: Pick<ModelCard, 'latentSize' | 'latentKl'>): Set<number> {
  const order = sliderOrder(card)
  return new Set(card.latentKl ? order.filter((i) => card.latentKl![i]! > 0.01) : order)
}

/** Moves a latent along a named direction from its current value `from` to `to` (units of the vector). */
export function applyDirection(latent: Float32Array, d: LatentDirection, from: number, to: number): Float32Array {
  const out = latent.slice()
  const delta = to - from
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + delta * (d.vector[i] ?? 0)
  return out
}

export const directionRange = (d: LatentDirection): [number, number] => d.range ?? [-3, 3]

/** `latentype/<model>/<class>/seed-<n>` (plus an origin suffix for interpolated or transferred variants). */
export function variantName(model: string, v: Pick<Variant, 'class' | 'seed' | 'origin'>): string {
  return `latentype/${model}/${v.class.label}/seed-${v.seed}${v.origin ? `-${v.origin}` : ''}`
}

export function groupName(model: string, variants: readonly Pick<Variant, 'class'>[]): string {
  const labels = new Set(variants.map((v) => v.class.label))
  return `latentype/${model}/${labels.size === 1 ? [...labels][0] : `${labels.size}-classes`}`
}

export function variantData(card: Pick<ModelCard, 'name'>, modelKey: string, v: Variant): VariantData {
  return { v: 1, model: card.name, modelKey, class: v.class.label, seed: v.seed, temperature: v.temperature, latent: Array.from(v.latent, (x) => Math.round(x * 1e5) / 1e5) }
}

/** Grid navigation: the next focus index for an arrow key in a `columns`-wide grid of `n` cells. */
export function moveFocus(focus: number, key: string, columns: number, n: number): number {
  if (n === 0) return -1
  const f = Math.max(0, focus)
  const next = key === 'ArrowLeft' ? f - 1 : key === 'ArrowRight' ? f + 1 : key === 'ArrowUp' ? f - columns : key === 'ArrowDown' ? f + columns : key === 'Home' ? 0 : key === 'End' ? n - 1 : f
  return Math.min(n - 1, Math.max(0, next))
}

/** Which class a selected document node probably shows: its text, our plugin data, or a label in its name. */
export function guessSelectionClass(classes: readonly ClassInfo[], sel: { text: string | null; name: string | null; variantClass?: string | null }): ClassInfo | null {
  const byLabel = (s: string | null | undefined): ClassInfo | null => (s ? classes.find((c) => c.label === s) ?? null : null)
  const fromText = byLabel(sel.text?.trim())
  if (fromText) return fromText
  const fromData = byLabel(sel.variantClass)
  if (fromData) return fromData
  const parts = (sel.name ?? '').split(/[/\s_]+/)
  for (const p of parts) {
    const hit = byLabel(p) ?? classes.find((c) => c.synonyms.includes(p.toLowerCase())) ?? null
    if (hit) return hit
  }
  return null
}
