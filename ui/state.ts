/** Pure UI logic (no DOM, no worker): class search, slider order and names, settings, names, messages. Tested in Node. */
import type { ClassInfo, LatentDirection, ModelCard } from '../sdk/model/card.js'
import { latentParts, type CvaeSpec } from '../sdk/model/spec.js'
import { SIZE_PRESETS, type FillChoice, type PaintStyleInfo, type VariantData } from '../plugin/protocol.js'

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
  /** {@link traceKey} of the latent `bitmap` was decoded from (it lags `latent` while a slider decode runs). */
  bitmapKey: string
  /**
   * Where a variant came from when not from one seed; replaces `seed-<n>` in its name, e.g.
   * `style-of-Heading`, `seed-3-to-7-step-2`.
   */
  origin?: string
}

/** Lower case, with runs of spaces, hyphens, underscores and dots as one space: "Trash-can" → "trash can". */
export const normalizeName = (s: string): string => s.toLowerCase().replace(/[\s\-_.]+/g, ' ').trim()

/**
 * Classes matching a search over labels and synonyms, best first. Spaces, hyphens and underscores are the same
 * ("magnifying glass" finds `magnifying-glass`). Ranks: exact label (case-sensitive, so "a" ≠ "A"), exact label
 * ignoring case and separators, exact synonym, label prefix, synonym prefix, every query word starting a word of
 * one name ("glass magn"), then substring; stable (class order) within a rank.
 */
export function searchClasses(classes: readonly ClassInfo[], query: string): ClassInfo[] {
  const raw = query.trim()
  if (!raw) return classes.slice()
  const q = normalizeName(raw)
  if (!q) return classes.slice()
  const words = q.split(' ')
  const rank = (c: ClassInfo): number => {
    if (c.label === raw) return 0
    const label = normalizeName(c.label)
    const syns = c.synonyms.map(normalizeName)
    if (label === q) return 1
    if (syns.includes(q)) return 2
    if (label.startsWith(q)) return 3
    if (syns.some((s) => s.startsWith(q))) return 4
    const names = [label, ...syns]
    if (names.some((n) => words.every((w) => n.split(' ').some((part) => part.startsWith(w))))) return 5
    if (names.some((n) => n.includes(q))) return 6
    return 9
  }
  return classes
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r < 9)
    .sort((a, b) => a.r - b.r || a.c.id - b.c.id)
    .map((x) => x.c)
}

/** The synonym that made a class match (shown on its chip), or null when its label matched. */
export function matchedSynonym(c: ClassInfo, query: string): string | null {
  const q = normalizeName(query)
  if (!q || normalizeName(c.label).includes(q)) return null
  const words = q.split(' ')
  return c.synonyms.find((s) => normalizeName(s).split(' ').some((part) => part.startsWith(words[0]!))) ?? c.synonyms.find((s) => normalizeName(s).includes(q)) ?? null
}

/** How many chips of these labels fit in `rows` rows `width` px wide (11 px Inter: ~6.2 px a character). */
export function chipsThatFit(labels: readonly string[], width: number, rows = 2, reserve = 84): number {
  let row = 0
  let x = 0
  for (let i = 0; i < labels.length; i++) {
    const w = Math.ceil(labels[i]!.length * 6.2) + 20
    const room = row === rows - 1 && i < labels.length - 1 ? width - reserve : width
    if (x > 0 && x + w > room) {
      row++
      x = 0
      if (row === rows) return i
    }
    x += w + 4
  }
  return labels.length
}

/** What the UI reads of a card to lay out the sliders. */
export type SliderCard = Pick<ModelCard, 'latentSize' | 'latentKl'> & { spec?: CvaeSpec }

/** Size of the global (style) part of the latent: all of it, unless a spatial grid follows it (`latentParts`). */
export function globalDims(card: SliderCard): number {
  return card.spec ? latentParts(card.spec).global : card.latentSize
}

/**
 * Slider order: the global (style) dimensions by KL, high first, then — for a spatial latent — the grid's
 * dimensions by KL (local detail, behind "More styles").
 */
export function sliderOrder(card: SliderCard): number[] {
  const g = globalDims(card)
  const kl = card.latentKl
  const byKl = (a: number, b: number): number => (kl ? kl[b]! - kl[a]! || a - b : a - b)
  const global = Array.from({ length: g }, (_, i) => i).sort(byKl)
  const grid = Array.from({ length: card.latentSize - g }, (_, i) => g + i).sort(byKl)
  return [...global, ...grid]
}

/** Global dimensions whose KL marks them active (> 0.01 nats); all of them without KL. Grid dimensions never lead. */
export function activeDims(card: SliderCard): Set<number> {
  const g = globalDims(card)
  const order = sliderOrder(card).filter((d) => d < g)
  return new Set(card.latentKl ? order.filter((i) => card.latentKl![i]! > 0.01) : order)
}

/** Designer names for latent dimensions: "Style 1" is the global one that matters most; a spatial grid's are "Detail 1…". */
export function styleNames(card: SliderCard): Map<number, string> {
  const g = globalDims(card)
  let style = 0
  let detail = 0
  return new Map(sliderOrder(card).map((dim) => [dim, dim < g ? `Style ${++style}` : `Detail ${++detail}`]))
}

/** Moves a latent along a named direction from its current value `from` to `to` (units of the vector). */
export function applyDirection(latent: Float32Array, d: LatentDirection, from: number, to: number): Float32Array {
  const out = latent.slice()
  const delta = to - from
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + delta * (d.vector[i] ?? 0)
  return out
}

export const directionRange = (d: LatentDirection): [number, number] => d.range ?? [-3, 3]

/** Cache key of one decoded image: model, class and the latent's exact bits. */
export function traceKey(modelKey: string, cls: number, latent: Float32Array): string {
  const bits = new Uint32Array(latent.buffer, latent.byteOffset, latent.length)
  let s = `${modelKey}|${cls}|`
  for (const b of bits) s += b.toString(36) + ','
  return s
}

/** A name part from free text (a layer name): letters, digits and - only, at most 40 characters. */
export const slug = (s: string): string =>
  s
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'selection'

/** `latentype/<model>/<class>/seed-<n>`, or the variant's origin in place of `seed-<n>`. */
export function variantName(model: string, v: Pick<Variant, 'class' | 'seed' | 'origin'>): string {
  return `latentype/${model}/${v.class.label}/${v.origin ?? `seed-${v.seed}`}`
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

/** Grid columns for a content width: cells of at least 76 px, never fewer than 4. */
export const gridColumns = (width: number, gap = 6): number => Math.max(4, Math.floor((width + gap) / (76 + gap)))

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

// ---- remembered settings (figma.clientStorage through the main thread) ----

/** Generation settings remembered per model. */
export interface ModelSettings {
  class: string
  count: number
  seed: number
  temperature: number
}

export type FillMode = 'color' | 'selection' | 'style'

export interface InsertSettings {
  size: number
  /** `color`: the colour below; `selection`: the selected layer's fill (else the colour); `style`: a colour style. */
  fillMode: FillMode
  color: string
  styleId: string | null
  asComponent: boolean
}

export interface Settings {
  v: 1
  /** The model open last. */
  model: string | null
  models: Record<string, ModelSettings>
  insert: InsertSettings
}

export const DEFAULT_INSERT: InsertSettings = { size: 24, fillMode: 'color', color: '#000000', styleId: null, asComponent: false }
export const DEFAULT_COUNT = 8
export const MAX_COUNT = 64
export const DEFAULT_SEED = 1

/** Reads stored settings defensively: anything missing or malformed falls back to its default. */
export function parseSettings(raw: unknown): Settings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const num = (v: unknown, lo: number, hi: number, d: number, int = false): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi && (!int || Number.isInteger(v)) ? v : d
  const models: Record<string, ModelSettings> = {}
  const rawModels = (o.models && typeof o.models === 'object' ? o.models : {}) as Record<string, unknown>
  for (const [k, v] of Object.entries(rawModels).slice(0, 32)) {
    const m = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>
    if (typeof m.class !== 'string') continue
    models[k] = { class: m.class.slice(0, 64), count: num(m.count, 1, MAX_COUNT, DEFAULT_COUNT, true), seed: num(m.seed, 0, 2 ** 31 - 1, DEFAULT_SEED, true), temperature: num(m.temperature, 0, 2, 1) }
  }
  const ins = (o.insert && typeof o.insert === 'object' ? o.insert : {}) as Record<string, unknown>
  const hex = (v: unknown): string | null => (typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v) ? v.toLowerCase() : null)
  return {
    v: 1,
    model: typeof o.model === 'string' ? o.model : null,
    models,
    insert: {
      size: num(ins.size, 4, 4096, DEFAULT_INSERT.size),
      fillMode: ins.fillMode === 'selection' || ins.fillMode === 'style' ? ins.fillMode : 'color',
      color: hex(ins.color) ?? DEFAULT_INSERT.color,
      styleId: typeof ins.styleId === 'string' ? ins.styleId.slice(0, 200) : null,
      asComponent: ins.asComponent === true,
    },
  }
}

/** What the vectors are filled with, given the insert settings, the document's styles and the selection's fill. */
export function fillChoice(s: InsertSettings, styles: readonly PaintStyleInfo[], selectionFill: string | null): FillChoice {
  if (s.fillMode === 'style' && s.styleId && styles.some((x) => x.id === s.styleId)) return { kind: 'style', id: s.styleId }
  if (s.fillMode === 'selection' && selectionFill) return { kind: 'color', hex: selectionFill }
  return { kind: 'color', hex: s.color }
}

/** The colour a fill choice shows as (a style's colour, else its hex). */
export const fillHex = (f: FillChoice, styles: readonly PaintStyleInfo[]): string => (f.kind === 'color' ? f.hex : styles.find((s) => s.id === f.id)?.hex ?? '#000000')

export const isPreset = (size: number): boolean => (SIZE_PRESETS as readonly number[]).includes(size)

/** The class a model opens on without remembered settings: a familiar one when the model has it. */
export function defaultClass(classes: readonly ClassInfo[]): ClassInfo | null {
  for (const label of ['star', 'heart', 'A']) {
    const c = classes.find((x) => x.label === label)
    if (c) return c
  }
  return classes[0] ?? null
}

// ---- messages ----

/**
 * What a designer reads when a model file does not open: what the file is and what to do. The SDK's technical
 * message goes to `details` (shown behind a disclosure).
 */
export function modelFileError(fileName: string, raw: string): { message: string; details: string } {
  const details = raw.replace(/^\[[A-Z_]+\]\s*/, '')
  const code = /^\[([A-Z_]+)\]/.exec(raw)?.[1] ?? ''
  const name = `“${fileName}”`
  if (code === 'NOT_ONNX' || /not a readable ONNX/.test(raw)) {
    return { message: `${name} is not a model file latentype can read — it is another kind of file, or it is incomplete. Open a .onnx model made with latentype (npm run train), or download it again.`, details }
  }
  if (code === 'NO_MODEL_CARD' || /without a latentype model card/.test(raw)) {
    return { message: `${name} is an ONNX model, but not one made with latentype (it has no latentype model card). Only models trained with latentype can be opened here.`, details }
  }
  if (code === 'BAD_MODEL_CARD' || code === 'SHAPE_MISMATCH' || /model card/.test(raw)) {
    return { message: `${name} is a latentype model, but it is damaged (its description does not match its contents). Export it again with latentype.`, details }
  }
  return { message: `${name} could not be opened as a latentype model. Check that it is a .onnx model made with latentype.`, details }
}
