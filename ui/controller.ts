/**
 * The UI's state and actions as one hook; app.tsx only renders. ML goes to the worker, tracing to the trace
 * worker, document work to main. Each model keeps its own session (class, search, settings, grid, edits), so
 * switching models and back loses nothing; the generation and insert settings are remembered across openings
 * (figma.clientStorage, through the main thread).
 *
 * Main-thread message handlers are registered once, so everything they read comes from `live` (the state of
 * the latest render), never from the render they were created in.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ClassInfo, LatentDirection } from '../sdk/model/card.js'
import type { Bitmap } from '../sdk/image/bitmap.js'
import type { MainMessage, PaintStyleInfo, SelectionInfo, VariantData } from '../plugin/protocol.js'
import { onMainMessage, postToMain } from './bridge.js'
import { embeddedModels, startTraceWorker, type EmbeddedModel, type WorkerClient } from './client.js'
import { Runtime } from './runtime.js'
import { LatestDecode, type DecodeJob } from './decode-queue.js'
import { pathOf, TraceQueue } from './trace-queue.js'
import { useSelectionStyle } from './selection-style.js'
import {
  applyDirection,
  DEFAULT_COUNT,
  DEFAULT_SEED,
  defaultClass,
  fillChoice,
  groupName,
  modelFileError,
  parseSettings,
  searchClasses,
  traceKey,
  variantData,
  variantName,
  type InsertSettings,
  type ModelSettings,
  type Settings,
  type Variant,
} from './state.js'
import type { Batch, LoadedModel } from './worker/api.js'

/** Most classes drawn at once by "all classes" and "style from selection" (the icon model has 128). */
const MAX_STYLE_CLASSES = 128
const STRIP_STEPS = 8
/** A slider counts as being dragged until this long after its last move; then the preview shows the trace. */
const HOT_MS = 160
const TYPE_DEBOUNCE_MS = 300
const SAVE_DEBOUNCE_MS = 400
let nextId = 1
const randomSeed = (): number => Math.floor(Math.random() * 100_000)
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export interface Session {
  /** The class Generate makes; null while the search matches nothing. */
  cls: ClassInfo | null
  /** The class of the grid (restored when the search is cleared). */
  picked: ClassInfo | null
  query: string
  count: number
  seed: number
  temperature: number
  variants: Variant[]
  focus: number
  selected: Set<number>
  locked: Set<number>
  strip: Variant[] | null
  showAll: boolean
}

export interface UiError {
  message: string
  /** Technical detail, shown behind a disclosure. */
  details?: string
}

/** A fresh per-model session; `defaultTemperature` is the model card's (sampling.temperature), else 1. */
const newSession = (cls: ClassInfo | null, s?: Partial<ModelSettings>, defaultTemperature = 1): Session => ({
  cls,
  picked: cls,
  query: '',
  count: s?.count ?? DEFAULT_COUNT,
  seed: s?.seed ?? DEFAULT_SEED,
  temperature: s?.temperature ?? defaultTemperature,
  variants: [],
  focus: -1,
  selected: new Set(),
  locked: new Set(),
  strip: null,
  showAll: false,
})

const EMPTY_SELECTION: SelectionInfo = { count: 0, name: null, text: null, variant: null, replaceable: null, fill: null }

export function useLatentype() {
  const [models, setModels] = useState<EmbeddedModel[]>(embeddedModels)
  const [modelKey, setModelKey] = useState('')
  const [loaded, setLoaded] = useState<Record<string, LoadedModel>>({})
  const [loading, setLoading] = useState<string | null>('Starting…')
  const [error, setError] = useState<UiError | null>(null)
  const [sessions, setSessions] = useState<Record<string, Session>>({})
  const [busy, setBusy] = useState(false)
  const [selection, setSelection] = useState<SelectionInfo>(EMPTY_SELECTION)
  const [styles, setStyles] = useState<PaintStyleInfo[]>([])
  const [insertSettings, setInsertSettings] = useState<InsertSettings>(() => parseSettings(null).insert)
  const [blend, setBlend] = useState(false)
  const [advanced, setAdvanced] = useState(false)
  const [hot, setHot] = useState(false)
  const [, setTraced] = useState(0)
  const [started, setStarted] = useState(false)

  const live = useRef({ models, modelKey, loaded, sessions, selection, styles, insertSettings, blend, hot })
  live.current = { models, modelKey, loaded, sessions, selection, styles, insertSettings, blend, hot }
  /** Settings as last read from storage; models not opened this time keep their entries. */
  const stored = useRef<Settings>(parseSettings(null))
  const decodes = useRef<LatestDecode | null>(null)
  const genSeq = useRef<Record<string, number>>({})
  const timers = useRef<{ hot?: ReturnType<typeof setTimeout>; type?: ReturnType<typeof setTimeout>; save?: ReturnType<typeof setTimeout> }>({})

  const runtime = useRef<Runtime | null>(null)
  runtime.current ??= new Runtime({
    loading: (what) => setLoading(what && `Opening the ${what} model…`),
    loaded: (key, m) => setLoaded((l) => ({ ...l, [key]: m })),
    backendChanged: (key, backend) => setLoaded((l) => (l[key] ? { ...l, [key]: { ...l[key]!, backend } } : l)),
    restarted: () => {
      decodes.current = null
      setBusy(false)
    },
  })
  const rt = runtime.current
  const getWorker = (): Promise<WorkerClient> => rt.client()
  const ensureModel = (key: string, bytes?: Uint8Array): Promise<LoadedModel> => rt.ensureModel(key, bytes)

  const tracer = useRef<TraceQueue | null>(null)
  tracer.current ??= (() => {
    let worker: ReturnType<typeof startTraceWorker> | null = null
    const trace = async (bitmaps: Bitmap[]): Promise<string[]> => {
      try {
        worker ??= startTraceWorker()
        return await (await worker).tracer.trace(bitmaps)
      } catch {
        // No trace worker (a page without its payload): the ML worker traces too.
        return (await getWorker()).trace(bitmaps)
      }
    }
    return new TraceQueue(trace, () => setTraced((n) => n + 1), (e) => console.warn('latentype: tracing failed', e))
  })()
  const traces = tracer.current

  // Start the runtime during the first render, not after it: it is the longest part of a cold start.
  const kicked = useRef(false)
  if (!kicked.current) {
    kicked.current = true
    void getWorker().catch((e) => setError({ message: 'The plugin could not start its generator. Close and reopen it; if this keeps happening, reinstall the plugin.', details: message(e) }))
  }

  const session = sessions[modelKey] ?? null
  const model = loaded[modelKey] ?? null
  const card = model?.card ?? null
  const notify = (text: string): void => postToMain({ type: 'notify', message: text })

  function patch(key: string, edit: (s: Session) => Session): void {
    setSessions((ss) => (ss[key] ? { ...ss, [key]: edit(ss[key]!) } : ss))
    // Keep `live` current for code that runs before the next render.
    const cur = live.current.sessions[key]
    if (cur) live.current.sessions = { ...live.current.sessions, [key]: edit(cur) }
  }
  const patchHere = (edit: (s: Session) => Session): void => patch(live.current.modelKey, edit)

  const toVariants = (key: string, b: Batch, classes: ClassInfo[], seeds: number[], t: number, origin?: (i: number) => string | undefined): Variant[] =>
    b.latents.map((z, i) => ({
      id: nextId++,
      class: classes[i]!,
      seed: seeds[i]!,
      temperature: t,
      original: z.slice(),
      latent: z,
      dirs: {},
      bitmap: b.bitmaps[i]!,
      bitmapKey: traceKey(key, classes[i]!.id, z),
      origin: origin?.(i),
    }))

  /** Traces a new grid in the background, after it has been painted. */
  const traceSoon = (variants: readonly Variant[]): void => {
    setTimeout(() => traces.request(variants.map((v) => ({ key: v.bitmapKey, bitmap: v.bitmap }))), 30)
  }

  /** A grid shown by another path (style, alphabet) wins over a generate still in flight: its result is dropped. */
  const supersedeGenerate = (key: string): void => {
    genSeq.current[key] = (genSeq.current[key] ?? 0) + 1
  }

  /** Shows new variants in a model's grid (focus on `focus`, nothing selected, no blend strip). */
  function showVariants(key: string, variants: Variant[], focus = 0, extra: Partial<Session> = {}): void {
    traces.clear()
    patch(key, (s) => ({ ...s, variants, focus, selected: new Set(), strip: null, ...extra }))
    traceSoon(variants)
  }

  const style = useSelectionStyle({
    current: () => {
      const key = live.current.modelKey
      const s = live.current.sessions[key]
      return { key, card: live.current.loaded[key]?.card ?? null, picked: s?.cls ?? s?.picked ?? null }
    },
    worker: getWorker,
    show: (key, b, classes, focus, source) => {
      const seed = live.current.selection.variant?.seed ?? 0
      const vs = toVariants(key, b, classes, classes.map(() => seed), 1, () => source)
      supersedeGenerate(key)
      showVariants(key, vs, focus)
      return vs[0]?.id ?? -1
    },
    isShowing: (key, token) => live.current.sessions[key]?.variants[0]?.id === token,
    notify: (text) => notify(text),
    fail: (msg, details) => setError({ message: msg, details }),
    setBusy,
  })
  const styleNow = useRef(style)
  styleNow.current = style

  async function generate(o: { key?: string; seed?: number } = {}): Promise<void> {
    const key = o.key ?? live.current.modelKey
    const s = live.current.sessions[key]
    const cls = s?.cls
    if (!s || !cls) return
    const seed = o.seed ?? s.seed
    const base = s.variants[s.focus]
    const locked = base ? [...s.locked].map((index) => ({ index, value: base.latent[index]! })) : []
    const seq = (genSeq.current[key] = (genSeq.current[key] ?? 0) + 1)
    setBusy(true)
    setError(null)
    try {
      const w = await getWorker()
      const b = await w.generate(key, { class: cls.id, n: s.count, seed, temperature: s.temperature, locked })
      if (genSeq.current[key] !== seq) return
      const vs = toVariants(key, b, b.latents.map(() => cls), b.latents.map((_, i) => seed + i), s.temperature)
      showVariants(key, vs, 0, { seed, picked: cls })
    } catch (e) {
      setError({ message: `Could not generate ${cls.label}. Try again; if it keeps failing, reopen the plugin.`, details: message(e) })
    } finally {
      if (genSeq.current[key] === seq) setBusy(false)
    }
  }

  /** Opens a model's session (restored, or new from remembered settings and generated at once). */
  async function openModel(key: string): Promise<void> {
    setModelKey(key)
    live.current.modelKey = key
    setError(null)
    setBlend(false)
    if (live.current.sessions[key]) return
    try {
      const m = await ensureModel(key)
      if (live.current.sessions[key]) return
      const remembered = stored.current.models[key]
      const cls = (remembered && m.card.classes.find((c) => c.label === remembered.class)) || defaultClass(m.card.classes)
      const s = newSession(cls, remembered, m.card.sampling?.temperature)
      setSessions((ss) => ({ ...ss, [key]: s }))
      live.current.sessions = { ...live.current.sessions, [key]: s }
      await generate({ key })
    } catch (e) {
      setError({ message: `The ${key} model could not be opened. Reopen the plugin; if it keeps failing, reinstall it.`, details: message(e) })
    }
  }

  async function openFile(file: File): Promise<void> {
    const key = `file:${file.name}`
    setError(null)
    try {
      const m = await ensureModel(key, new Uint8Array(await file.arrayBuffer()))
      setModels((ms) => (ms.some((x) => x.key === key) ? ms : [...ms, { key, name: m.card.name, kind: m.card.kind }]))
      await openModel(key)
    } catch (e) {
      setError(modelFileError(file.name, message(e)))
    }
  }

  // ---- class search ----

  function setQuery(query: string): void {
    const s = live.current.sessions[live.current.modelKey]
    const m = live.current.loaded[live.current.modelKey]
    if (!s || !m) return
    const top = query.trim() ? (searchClasses(m.card.classes, query)[0] ?? null) : s.picked
    patchHere((x) => ({ ...x, query, cls: top }))
    clearTimeout(timers.current.type)
    if (top && top.id !== s.picked?.id) timers.current.type = setTimeout(() => void generate(), TYPE_DEBOUNCE_MS)
  }
  function pickClass(c: ClassInfo): void {
    clearTimeout(timers.current.type)
    patchHere((x) => ({ ...x, cls: c }))
    void generate()
  }
  const submitSearch = (): void => {
    clearTimeout(timers.current.type)
    void generate()
  }

  // ---- generation settings ----

  // Unchanged values do nothing: a field commits its value on input and again on change.
  const setCount = (count: number): void => {
    if (live.current.sessions[live.current.modelKey]?.count === count) return
    patchHere((s) => ({ ...s, count }))
    void generate()
  }
  const setSeed = (seed: number): void => {
    if (live.current.sessions[live.current.modelKey]?.seed === seed) return
    patchHere((s) => ({ ...s, seed }))
    void generate({ seed })
  }
  /** While dragging: the value only; on release `regenerate` is true. */
  const setTemperature = (temperature: number, regenerate = false): void => {
    patchHere((s) => ({ ...s, temperature }))
    if (regenerate) void generate()
  }

  // ---- slider hot path ----

  const decodeOne = async (job: DecodeJob): Promise<Bitmap> => (await (await getWorker()).decode(job.model, [job.latent], job.cls))[0]!
  const paintDecoded = (job: DecodeJob, bitmap: Bitmap): void =>
    patch(job.model, (s) => ({ ...s, variants: s.variants.map((v) => (v.id === job.id ? { ...v, bitmap, bitmapKey: traceKey(job.model, job.cls, job.latent) } : v)) }))
  const decodeFailed = (e: unknown): void => setError({ message: 'The preview could not be updated. Move the slider again; if it keeps failing, reopen the plugin.', details: message(e) })
  const requestDecode = (job: DecodeJob): void => {
    // Recreated after a worker restart: a decode stuck in the old worker must not block the new one.
    decodes.current ??= new LatestDecode(decodeOne, paintDecoded, decodeFailed)
    decodes.current.request(job)
  }

  function editFocused(edit: (v: Variant) => Variant): void {
    const key = live.current.modelKey
    const s = live.current.sessions[key]
    const v = s?.variants[s.focus]
    if (!s || !v) return
    const next = edit(v)
    patch(key, (x) => ({ ...x, variants: x.variants.map((y) => (y.id === v.id ? next : y)) }))
    setHot(true)
    clearTimeout(timers.current.hot)
    timers.current.hot = setTimeout(() => setHot(false), HOT_MS)
    requestDecode({ model: key, id: v.id, latent: next.latent, cls: next.class.id })
  }
  const setLatent = (dim: number, value: number): void =>
    editFocused((v) => {
      const latent = v.latent.slice()
      latent[dim] = value
      return { ...v, latent }
    })
  const setDirection = (d: LatentDirection, value: number): void =>
    editFocused((v) => ({ ...v, latent: applyDirection(v.latent, d, v.dirs[d.name] ?? 0, value), dirs: { ...v.dirs, [d.name]: value } }))
  const resetFocused = (): void => editFocused((v) => ({ ...v, latent: v.original.slice(), dirs: {} }))

  // The big preview shows the traced vector once the sliders rest: trace it first in line.
  const focused = session?.variants[session.focus]
  useEffect(() => {
    if (!hot && focused) traces.request([{ key: focused.bitmapKey, bitmap: focused.bitmap }], true)
  }, [hot, focused?.bitmapKey])

  /** The traced path of a variant's current image, if ready (the focused one only while its sliders rest). */
  const vectorOf = (v: Variant, isFocused: boolean): string | undefined => {
    const svg = isFocused && hot ? undefined : traces.get(v.bitmapKey)
    return svg === undefined ? undefined : pathOf(svg)
  }

  // ---- grid ----

  const setFocus = (i: number): void => patchHere((s) => ({ ...s, focus: i }))
  /** A plain click: edit this one, and nothing else stays selected. */
  const clickCell = (i: number): void => patchHere((s) => ({ ...s, focus: i, selected: new Set() }))
  const toggle = (i: number): void => {
    patchHere((s) => ({ ...s, selected: toggled(s.selected, i) }))
    const s = live.current.sessions[live.current.modelKey]
    if (live.current.blend && s?.selected.size === 2) {
      setBlend(false)
      void interpolate()
    }
  }
  const toggleLock = (dim: number): void => patchHere((s) => ({ ...s, locked: toggled(s.locked, dim) }))
  const toggleShowAll = (): void => patchHere((s) => ({ ...s, showAll: !s.showAll }))

  /** Blend: with two selected, blends them; otherwise clicks pick the two (blend mode). */
  function startBlend(): void {
    const s = live.current.sessions[live.current.modelKey]
    if (s?.selected.size === 2) return void interpolate()
    if (live.current.blend) return setBlend(false)
    patchHere((x) => ({ ...x, selected: new Set(x.selected.size < 2 ? x.selected : []) }))
    setBlend(true)
  }

  async function interpolate(): Promise<void> {
    const key = live.current.modelKey
    const s = live.current.sessions[key]
    if (!s) return
    const [a, b] = [...s.selected].sort((x, y) => x - y).map((i) => s.variants[i]!)
    if (!a || !b) return
    try {
      const w = await getWorker()
      const batch = await w.interpolate(key, a.latent, b.latent, STRIP_STEPS, [a.class.id, b.class.id])
      const classes = batch.latents.map((_, i) => (i < STRIP_STEPS / 2 ? a.class : b.class))
      const from = a.origin ?? `seed-${a.seed}`
      const to = b.origin ?? `seed-${b.seed}`
      const strip = toVariants(key, batch, classes, classes.map(() => a.seed), a.temperature, (i) => `${from}-to-${to}-step-${i + 1}`)
      patch(key, (x) => ({ ...x, strip }))
      traceSoon(strip)
    } catch (e) {
      setError({ message: 'Could not blend these two. Try two other variations.', details: message(e) })
    }
  }
  const closeStrip = (): void => patchHere((s) => ({ ...s, strip: null, selected: new Set() }))
  const addFromStrip = (v: Variant): void => patchHere((s) => ({ ...s, variants: [...s.variants, { ...v, id: nextId++ }], focus: s.variants.length }))

  /** The focused variant's latent drawn as every class (for glyphs: the whole alphabet in its style). */
  async function allClasses(): Promise<void> {
    const key = live.current.modelKey
    const s = live.current.sessions[key]
    const m = live.current.loaded[key]
    const v = s?.variants[s.focus]
    if (!s || !m || !v) return
    const targets = m.card.classes.slice(0, MAX_STYLE_CLASSES)
    setBusy(true)
    try {
      const w = await getWorker()
      const latents = targets.map(() => v.latent.slice())
      const bitmaps = await w.decode(key, latents, targets.map((t) => t.id))
      const source = `style-of-${v.origin ?? `seed-${v.seed}`}`
      const vs = toVariants(key, { latents, bitmaps }, targets, targets.map(() => v.seed), v.temperature, () => source)
      supersedeGenerate(key)
      showVariants(key, vs, Math.max(0, targets.findIndex((t) => t.id === v.class.id)))
    } catch (e) {
      setError({ message: 'Could not draw every class in this style. Try again.', details: message(e) })
    } finally {
      setBusy(false)
    }
  }

  // ---- insert ----

  /** Traces (or takes from the cache) and sends variants to main: inserted, or replacing one node. */
  async function insert(list: Variant[], o: { closeAfter?: boolean; key?: string; replaceId?: string; settings?: InsertSettings } = {}): Promise<void> {
    const key = o.key ?? live.current.modelKey
    const m = live.current.loaded[key] ?? (await ensureModel(key))
    if (list.length === 0) return
    const svgs = await traces.ensure(list.map((v) => ({ key: v.bitmapKey, bitmap: v.bitmap })))
    const keep = list.map((v, i) => ({ v, svg: svgs[i]! })).filter((x) => /d="M/.test(x.svg))
    if (keep.length === 0) throw new Error(list.length === 1 ? 'This variation is blank, so there is nothing to insert — pick another one, or raise Randomness.' : 'These variations are all blank — pick others, or raise Randomness.')
    if (keep.length < list.length) notify(`${list.length - keep.length} blank variation${list.length - keep.length === 1 ? '' : 's'} skipped`)
    const ins = o.settings ?? live.current.insertSettings
    const n = keep.length
    postToMain({
      type: 'insert',
      items: keep.map(({ v, svg }) => ({ name: variantName(m.card.name, v), svg, data: variantData(m.card, key, v) })),
      size: ins.size,
      // One row up to 16; the alphabet as A–Z, a–z, 0–9 rows.
      columns: m.card.kind === 'glyphs' && n >= 52 ? 26 : n <= 16 ? n : 13,
      groupName: groupName(m.card.name, keep.map((x) => x.v)),
      closeAfter: o.closeAfter,
      fill: fillChoice(ins, live.current.styles, live.current.selection.fill),
      asComponent: ins.asComponent,
      replaceId: o.replaceId,
    })
  }
  const chosen = (all: boolean): Variant[] => {
    const s = live.current.sessions[live.current.modelKey]
    if (!s) return []
    if (all) return s.variants
    if (s.selected.size) return [...s.selected].sort((a, b) => a - b).map((i) => s.variants[i]!)
    return s.variants[s.focus] ? [s.variants[s.focus]!] : []
  }
  const insertChosen = (all = false): void => {
    insert(chosen(all)).catch((e) => setError({ message: message(e) }))
  }
  const replaceSelected = (): void => {
    const s = live.current.sessions[live.current.modelKey]
    const target = live.current.selection.replaceable
    const v = s?.variants[s.focus]
    if (!v || !target) return
    insert([v], { replaceId: target.id }).catch((e) => setError({ message: message(e) }))
  }
  const updateInsert = (p: Partial<InsertSettings>): void => setInsertSettings((x) => ({ ...x, ...p }))

  const styleFromSelection = (): void => {
    const m = live.current.loaded[live.current.modelKey]
    if (!m) return
    setBusy(true)
    postToMain({ type: 'export-selection', size: Math.min(1024, m.card.imageSize * 4) })
  }

  async function openEdit(edit: VariantData): Promise<void> {
    const known = live.current.models
    const key = live.current.loaded[edit.modelKey] || known.some((m) => m.key === edit.modelKey) ? edit.modelKey : known.find((m) => m.name === edit.model)?.key
    if (!key) return setError({ message: `This icon was made with the model “${edit.model}”, which this version of the plugin does not include. Open that model file (ⓘ → Open a model file…) to edit it.` })
    const m = await ensureModel(key)
    const c = m.card.classes.find((x) => x.label === edit.class)
    if (!c || edit.latent.length !== m.card.latentSize) {
      setModelKey(key)
      return setError({ message: `The selected layer was made with a different version of the “${m.card.name}” model, so it cannot be edited here. Generate a new one instead.` })
    }
    const latent = Float32Array.from(edit.latent)
    const [bitmap] = await (await getWorker()).decode(key, [latent], c.id)
    const s: Session = { ...newSession(c, { ...stored.current.models[key], seed: edit.seed, temperature: edit.temperature }), count: live.current.sessions[key]?.count ?? stored.current.models[key]?.count ?? DEFAULT_COUNT }
    const v: Variant = { id: nextId++, class: c, seed: edit.seed, temperature: edit.temperature, original: latent.slice(), latent, dirs: {}, bitmap: bitmap!, bitmapKey: traceKey(key, c.id, latent) }
    s.variants = [v]
    s.focus = 0
    setSessions((ss) => ({ ...ss, [key]: s }))
    live.current.sessions = { ...live.current.sessions, [key]: s }
    setModelKey(key)
    live.current.modelKey = key
    notify(`Editing ${c.label} · seed ${edit.seed}`)
  }

  /** First state: remembered settings (or defaults), then the last model's grid, or the edited variant. */
  async function start(init: Extract<MainMessage, { type: 'init' }> | null): Promise<void> {
    stored.current = parseSettings(init?.settings ?? null)
    setInsertSettings(stored.current.insert)
    setStarted(true)
    const known = live.current.models
    if (known.length === 0) return setLoading(null)
    if (init?.edit) {
      try {
        return await openEdit(init.edit)
      } catch (e) {
        setError({ message: 'The selected layer could not be opened for editing. Generate a new one instead.', details: message(e) })
      }
    }
    const key = known.some((m) => m.key === stored.current.model) ? stored.current.model! : known[0]!.key
    await openModel(key)
  }

  // Remember settings (debounced) once the stored ones have been read.
  useEffect(() => {
    if (!started) return
    clearTimeout(timers.current.save)
    timers.current.save = setTimeout(() => {
      const perModel: Record<string, ModelSettings> = { ...stored.current.models }
      for (const [k, s] of Object.entries(live.current.sessions)) {
        const cls = s.picked ?? s.cls
        if (cls && !k.startsWith('file:')) perModel[k] = { class: cls.label, count: s.count, seed: s.seed, temperature: s.temperature }
      }
      const key = live.current.modelKey
      const settings: Settings = { v: 1, model: key && !key.startsWith('file:') ? key : stored.current.model, models: perModel, insert: live.current.insertSettings }
      stored.current = settings
      postToMain({ type: 'save-settings', settings: settings as unknown as Record<string, unknown> })
    }, SAVE_DEBOUNCE_MS)
  }, [started, modelKey, insertSettings, session?.picked, session?.count, session?.seed, session?.temperature])

  useEffect(() => {
    let initialised = false
    const off = onMainMessage({
      init: (m) => {
        if (initialised) return
        initialised = true
        setSelection(m.selection)
        setStyles(m.styles)
        void start(m)
      },
      selection: (m) => setSelection(m.selection),
      inserted: () => undefined,
      error: (m) => {
        setBusy(false)
        setError({ message: m.message.replace(/^could not/, 'Could not') })
      },
      'selection-png': (m) => styleNow.current.received(m),
      'quick-generate': (m) => {
        void (async () => {
          try {
            const lm = await ensureModel(m.modelKey)
            const w = await getWorker()
            const c = lm.card.classes.find((x) => x.label === m.class)!
            const b = await w.generate(m.modelKey, { class: c.id, n: m.count, seed: m.seed, temperature: 1 })
            const vs = toVariants(m.modelKey, b, b.latents.map(() => c), b.latents.map((_, i) => m.seed + i), 1)
            await insert(vs, { closeAfter: true, key: m.modelKey, settings: parseSettings(m.settings).insert })
          } catch (e) {
            postToMain({ type: 'quick-failed', message: message(e) })
          }
        })()
      },
    })
    postToMain({ type: 'ready' })
    // Without a main thread (a test page), start with the defaults once the runtime is up.
    void getWorker()
      .then(() => {
        if (!initialised && window.parent === window) {
          initialised = true
          void start(null)
        }
      })
      .catch(() => undefined)
    return off
  }, [])

  return {
    models, modelKey, model, card, loading, error, session, busy, selection, styles, insertSettings, blend, advanced, hot,
    setError, setAdvanced, setFocus, clickCell, setQuery, pickClass, submitSearch, setCount, setSeed, setTemperature,
    shuffle: () => void generate({ seed: randomSeed() }),
    generate: () => void generate(),
    switchModel: (k: string) => void openModel(k),
    openFile, setLatent, setDirection, resetFocused, toggle, toggleLock, toggleShowAll, startBlend, closeStrip, addFromStrip, allClasses,
    insertChosen, replaceSelected, updateInsert, styleFromSelection, vectorOf, style,
  }
}

export type Controller = ReturnType<typeof useLatentype>

/** A copy of `set` with `item` added, or removed when present. */
function toggled<T>(set: ReadonlySet<T>, item: T): Set<T> {
  const n = new Set(set)
  if (n.has(item)) n.delete(item)
  else n.add(item)
  return n
}
