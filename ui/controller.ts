/** The UI's state and actions as one hook; app.tsx only renders. ML goes to the worker, document work to main. */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ClassInfo, LatentDirection } from '../sdk/model/card.js'
import type { SelectionInfo, VariantData } from '../plugin/protocol.js'
import { onMainMessage, postToMain } from './bridge.js'
import { embeddedModels, type EmbeddedModel, type WorkerClient } from './client.js'
import { Runtime } from './runtime.js'
import { LatestDecode, type DecodeJob } from './decode-queue.js'
import type { Bitmap } from '../sdk/image/bitmap.js'
import { applyDirection, groupName, guessSelectionClass, variantData, variantName, type Variant } from './state.js'
import type { Batch, LoadedModel } from './worker/api.js'

const MAX_STYLE_CLASSES = 64
const STRIP_STEPS = 8
let nextId = 1
const randomSeed = (): number => Math.floor(Math.random() * 100_000)
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export function useLatentype() {
  const [models, setModels] = useState<EmbeddedModel[]>(embeddedModels)
  const [modelKey, setModelKey] = useState(models[0]?.key ?? '')
  const [loaded, setLoaded] = useState<Record<string, LoadedModel>>({})
  const [loading, setLoading] = useState<string | null>('Starting the model runtime…')
  const [error, setError] = useState<string | null>(null)
  const [info, setInfo] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [cls, setCls] = useState<ClassInfo | null>(null)
  const [count, setCount] = useState(8)
  const [seed, setSeed] = useState(1)
  const [temperature, setTemperature] = useState(1)
  const [variants, setVariants] = useState<Variant[]>([])
  const [focus, setFocus] = useState(-1)
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [locked, setLocked] = useState<Set<number>>(new Set())
  const [strip, setStrip] = useState<Variant[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [selection, setSelection] = useState<SelectionInfo>({ count: 0, name: null, text: null, variant: null })
  const [size, setSize] = useState(48)
  const [showAll, setShowAll] = useState(false)

  const live = useRef({ variants, modelKey, loaded })
  live.current = { variants, modelKey, loaded }
  const decodes = useRef<LatestDecode | null>(null)
  const runtime = useRef<Runtime | null>(null)
  runtime.current ??= new Runtime({
    loading: setLoading,
    loaded: (key, m) => setLoaded((l) => ({ ...l, [key]: m })),
    backendChanged: (key, backend) => {
      setLoaded((l) => (l[key] ? { ...l, [key]: { ...l[key]!, backend } } : l))
      setInfo(backend.reason)
    },
    restarted: () => {
      decodes.current = null
      setBusy(false)
    },
  })
  const rt = runtime.current
  const getWorker = (): Promise<WorkerClient> => rt.client()
  const ensureModel = (key: string, bytes?: Uint8Array): Promise<LoadedModel> => rt.ensureModel(key, bytes)
  // Start the runtime during the first render, not after it: it is the longest part of a cold start.
  const started = useRef(false)
  if (!started.current) {
    started.current = true
    void getWorker().catch((e) => setError(`The model runtime could not start: ${message(e)}`))
  }

  const model = loaded[modelKey] ?? null
  const card = model?.card ?? null

  function reset(m: LoadedModel | null): void {
    setVariants([])
    setFocus(-1)
    setSelected(new Set())
    setLocked(new Set())
    setStrip(null)
    setQuery('')
    setCls(m?.card.classes[0] ?? null)
  }

  async function switchModel(key: string): Promise<void> {
    setModelKey(key)
    setError(null)
    reset(live.current.loaded[key] ?? null)
    try {
      reset(await ensureModel(key))
    } catch (e) {
      setError(`Could not open the ${key} model: ${message(e)}`)
    }
  }

  async function openFile(file: File): Promise<void> {
    const key = `file:${file.name}`
    setError(null)
    try {
      const m = await ensureModel(key, new Uint8Array(await file.arrayBuffer()))
      setModels((ms) => (ms.some((x) => x.key === key) ? ms : [...ms, { key, name: m.card.name, kind: m.card.kind }]))
      setModelKey(key)
      reset(m)
    } catch (e) {
      setError(`Could not open ${file.name}: ${message(e)}`)
    }
  }

  const toVariants = (b: Batch, classes: ClassInfo[], seeds: number[], t: number, origin?: (i: number) => string): Variant[] =>
    b.latents.map((z, i) => ({ id: nextId++, class: classes[i]!, seed: seeds[i]!, temperature: t, original: z.slice(), latent: z, dirs: {}, bitmap: b.bitmaps[i]!, origin: origin?.(i) }))

  async function generate(newSeed?: number): Promise<void> {
    if (!card || !cls) return
    const s = newSeed ?? seed
    if (newSeed !== undefined) setSeed(newSeed)
    const base = live.current.variants[focus]
    const lockedValues = base ? [...locked].map((index) => ({ index, value: base.latent[index]! })) : []
    setBusy(true)
    setError(null)
    try {
      const w = await getWorker()
      const b = await w.generate(modelKey, { class: cls.id, n: count, seed: s, temperature, locked: lockedValues })
      setVariants(toVariants(b, b.latents.map(() => cls), b.latents.map((_, i) => s + i), temperature))
      setFocus(0)
      setSelected(new Set())
      setStrip(null)
    } catch (e) {
      setError(`Generation failed: ${message(e)}`)
    } finally {
      setBusy(false)
    }
  }

  const decodeOne = async (job: DecodeJob): Promise<Bitmap> => (await (await getWorker()).decode(live.current.modelKey, [job.latent], job.cls))[0]!
  const paintDecoded = (job: DecodeJob, bitmap: Bitmap): void => setVariants((vs) => vs.map((v, i) => (i === job.index ? { ...v, bitmap } : v)))
  const decodeFailed = (e: unknown): void => setError(`Decoding failed: ${message(e)}`)
  const requestDecode = (index: number, latent: Float32Array, cls: number): void => {
    // Recreated after a worker restart: a decode stuck in the old worker must not block the new one.
    decodes.current ??= new LatestDecode(decodeOne, paintDecoded, decodeFailed)
    decodes.current.request({ index, latent, cls })
  }

  function editFocused(edit: (v: Variant) => Variant): void {
    const v = live.current.variants[focus]
    if (!v) return
    const next = edit(v)
    setVariants((vs) => vs.map((x, i) => (i === focus ? next : x)))
    requestDecode(focus, next.latent, next.class.id)
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

  const toggle = (i: number): void => setSelected((s) => toggled(s, i))
  const toggleLock = (dim: number): void => setLocked((s) => toggled(s, dim))

  async function interpolate(): Promise<void> {
    const [a, b] = [...selected].sort((x, y) => x - y).map((i) => variants[i]!)
    if (!a || !b) return
    try {
      const w = await getWorker()
      const batch = await w.interpolate(modelKey, a.latent, b.latent, STRIP_STEPS, [a.class.id, b.class.id])
      const classes = batch.latents.map((_, i) => (i < STRIP_STEPS / 2 ? a.class : b.class))
      setStrip(toVariants(batch, classes, classes.map(() => a.seed), a.temperature, (i) => `to-${b.seed}-step-${i}`))
    } catch (e) {
      setError(`Interpolation failed: ${message(e)}`)
    }
  }
  const addFromStrip = (v: Variant): void => {
    setVariants((vs) => [...vs, { ...v, id: nextId++ }])
    setFocus(variants.length)
  }

  /** Traces and sends variants to main for insertion. */
  async function insert(list: Variant[], closeAfter = false, key = modelKey): Promise<void> {
    const m = live.current.loaded[key] ?? (await ensureModel(key))
    if (list.length === 0) return
    const w = await getWorker()
    const svgs = await w.trace(list.map((v) => v.bitmap))
    const keep = list.map((v, i) => ({ v, svg: svgs[i]! })).filter((x) => /d="M/.test(x.svg))
    if (keep.length === 0) throw new Error('every chosen variant is blank — nothing to insert; try another seed or a higher temperature')
    if (keep.length < list.length) setInfo(`${list.length - keep.length} blank variant(s) skipped`)
    postToMain({
      type: 'insert',
      items: keep.map(({ v, svg }) => ({ name: variantName(m.card.name, v), svg, data: variantData(m.card, key, v) })),
      size,
      columns: Math.min(keep.length, keep.length > 16 ? 13 : 8),
      groupName: groupName(m.card.name, keep.map((x) => x.v)),
      closeAfter,
    })
  }
  const insertChosen = (all = false): void => {
    const list = all ? variants : selected.size ? [...selected].sort((a, b) => a - b).map((i) => variants[i]!) : variants[focus] ? [variants[focus]!] : []
    insert(list).catch((e) => setError(`Insert failed: ${message(e)}`))
  }

  const styleFromSelection = (): void => {
    if (!card) return
    setBusy(true)
    postToMain({ type: 'export-selection', size: Math.min(1024, card.imageSize * 4) })
  }

  async function openEdit(edit: VariantData): Promise<void> {
    const key = live.current.loaded[edit.modelKey] || models.some((m) => m.key === edit.modelKey) ? edit.modelKey : models.find((m) => m.name === edit.model)?.key
    if (!key) return setError(`This variant was made with model “${edit.model}”, which this build does not include.`)
    setModelKey(key)
    const m = await ensureModel(key)
    const c = m.card.classes.find((x) => x.label === edit.class)
    if (!c || edit.latent.length !== m.card.latentSize) return setError(`The selected variant does not fit model “${m.card.name}” (class or latent size differ).`)
    const latent = Float32Array.from(edit.latent)
    const w = await getWorker()
    const [bitmap] = await w.decode(key, [latent], c.id)
    reset(m)
    setCls(c)
    setVariants([{ id: nextId++, class: c, seed: edit.seed, temperature: edit.temperature, original: latent.slice(), latent, dirs: {}, bitmap: bitmap! }])
    setFocus(0)
    setInfo(`Editing ${c.label} · seed ${edit.seed} from the document`)
  }

  useEffect(() => {
    const off = onMainMessage({
      init: (m) => {
        setSelection(m.selection)
        if (m.edit) openEdit(m.edit).catch((e) => setError(message(e)))
      },
      selection: (m) => setSelection(m.selection),
      inserted: (m) => setInfo(`Inserted ${m.count} as “${m.groupName}”`),
      error: (m) => {
        setBusy(false)
        setError(m.message)
      },
      'selection-png': (m) => {
        void (async () => {
          try {
            const key = live.current.modelKey
            const mc = live.current.loaded[key]!.card
            const from = guessSelectionClass(mc.classes, { text: m.text, name: m.name, variantClass: selection.variant?.class }) ?? cls ?? mc.classes[0]!
            const targets = mc.classes.slice(0, MAX_STYLE_CLASSES)
            const w = await getWorker()
            const b = await w.styleFromPng(key, m.png, from.id, targets.map((t) => t.id))
            setVariants(toVariants(b, targets, targets.map(() => 0), 1, () => 'style'))
            setFocus(0)
            setSelected(new Set())
            setInfo(`Read “${m.name}” as ${from.label}; showing ${targets.length} classes in its style`)
          } catch (e) {
            setError(`Style from selection failed: ${message(e)}`)
          } finally {
            setBusy(false)
          }
        })()
      },
      'quick-generate': (m) => {
        void (async () => {
          try {
            const lm = await ensureModel(m.modelKey)
            const w = await getWorker()
            const c = lm.card.classes.find((x) => x.label === m.class)!
            const b = await w.generate(m.modelKey, { class: c.id, n: m.count, seed: m.seed, temperature: 1 })
            await insert(toVariants(b, b.latents.map(() => c), b.latents.map((_, i) => m.seed + i), 1), true, m.modelKey)
          } catch (e) {
            postToMain({ type: 'quick-failed', message: message(e) })
          }
        })()
      },
    })
    postToMain({ type: 'ready' })
    if (modelKey) switchModel(modelKey).catch(() => undefined)
    else setLoading(null)
    return off
  }, [])

  return {
    models, modelKey, model, card, loading, error, info, query, cls, count, seed, temperature, variants, focus, selected, locked, strip, busy, selection, size, showAll,
    setError, setInfo, setQuery, setCls, setCount, setSeed, setTemperature, setFocus, setSize, setStrip,
    setShowAll: () => setShowAll((s) => !s),
    switchModel, openFile, generate, shuffle: () => generate(randomSeed()), setLatent, setDirection, resetFocused, toggle, toggleLock, interpolate, addFromStrip, insertChosen, styleFromSelection,
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
