/**
 * "Style from selection" as a hook: the main thread's exported drawings are read as classes (asking when a
 * layer does not tell), combined into one style in the worker and drawn as every class; with "Match closely"
 * the style is then refined in the worker (Generator.fit) with a progress bar and a Cancel button, while the
 * quick result is already on screen and the UI stays usable.
 *
 * Everything the handlers read comes from `ctx.current()` (the state of the latest render), never from the
 * render they were created in.
 */
import { proxy } from 'comlink'
import { useRef, useState } from 'preact/hooks'
import type { ClassInfo, ModelCard } from '../sdk/model/card.js'
import type { MainMessage, SelectionDrawing } from '../plugin/protocol.js'
import type { WorkerClient } from './client.js'
import { drawingClasses, styleMessage, styleSource, type DrawingClass } from './selection-refs.js'
import type { Batch } from './worker/api.js'

/** Adam steps of "Match closely": ≈ 0.6 s for 4 drawings at 64² on wasm, first run included (printed by tests/ui/plugin-multi-style.e2e.test.ts); 40 steps lower the loss ~2 % more but reach ~1 s on a busy machine. */
export const FIT_STEPS = 30
/** Most classes drawn at once (the icon model has 128). */
const MAX_STYLE_CLASSES = 128

export interface StyleContext {
  /** The open model, its card and the class picked in the UI, as of the latest render. */
  current(): { key: string; card: ModelCard | null; picked: ClassInfo | null }
  worker(): Promise<WorkerClient>
  /** Shows a style's drawings as the grid; returns a token that {@link StyleContext.isShowing} recognises. */
  show(key: string, batch: Batch, classes: ClassInfo[], focus: number, source: string): number
  /** True while the grid still shows what `show` returned `token` for. */
  isShowing(key: string, token: number): boolean
  notify(text: string): void
  fail(message: string, details: string): void
  setBusy(busy: boolean): void
}

/** Drawings waiting for the designer to say which class some of them are. */
export interface Asking {
  key: string
  items: (DrawingClass & { url: string })[]
  skipped: number
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export function useSelectionStyle(ctx: StyleContext) {
  const [asking, setAsking] = useState<Asking | null>(null)
  const [fit, setFit] = useState<{ step: number; steps: number } | null>(null)
  const [matchClosely, setMatchClosely] = useState(false)
  const live = useRef({ matchClosely, asking })
  live.current = { matchClosely, asking }
  const seq = useRef(0)

  const closeAsk = (): void => {
    for (const it of live.current.asking?.items ?? []) URL.revokeObjectURL(it.url)
    live.current.asking = null
    setAsking(null)
  }

  /** The main thread's answer to export-selection. */
  function received(m: Extract<MainMessage, { type: 'selection-png' }>): void {
    const { key, card, picked } = ctx.current()
    if (!card) return ctx.setBusy(false)
    const read = drawingClasses(card.classes, m.items, picked ?? card.classes[0]!)
    if (read.every((r) => r.guessed)) return void draw(key, read, m.skipped)
    closeAsk()
    const next: Asking = { key, items: read.map((r) => ({ ...r, url: URL.createObjectURL(new Blob([r.drawing.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })) })), skipped: m.skipped }
    live.current.asking = next
    setAsking(next)
    ctx.setBusy(false)
  }

  /** The designer picked a class for drawing `i` of the question. */
  const setAskClass = (i: number, cls: ClassInfo): void =>
    setAsking((a) => (a ? { ...a, items: a.items.map((it, j) => (j === i ? { ...it, cls, guessed: true } : it)) } : a))

  function confirmAsk(): void {
    const a = live.current.asking
    if (!a) return
    const read = a.items.map(({ drawing, cls, guessed }) => ({ drawing, cls, guessed }))
    closeAsk()
    void draw(a.key, read, a.skipped)
  }

  async function draw(key: string, read: readonly { drawing: SelectionDrawing; cls: ClassInfo }[], skipped: number): Promise<void> {
    const card = ctx.current().card
    if (!card || ctx.current().key !== key) return ctx.setBusy(false)
    const run = ++seq.current
    const targets = card.classes.slice(0, MAX_STYLE_CLASSES)
    const refs = read.map((r) => ({ png: r.drawing.png, class: r.cls.id }))
    const focus = Math.max(0, targets.findIndex((t) => t.id === read[0]!.cls.id))
    const source = styleSource(read.map((r) => r.drawing))
    const ids = targets.map((t) => t.id)
    ctx.setBusy(true)
    let token: number
    try {
      const w = await ctx.worker()
      const quick = await w.styleFromPngs(key, refs, ids)
      if (run !== seq.current) return
      token = ctx.show(key, quick, targets, focus, source)
      ctx.notify(styleMessage(read.map((r) => ({ name: r.drawing.name, cls: r.cls })), targets.length, skipped))
    } catch (e) {
      return ctx.fail(read.length === 1 ? 'Could not read the style of the selected layer. Select one glyph or icon (a single layer works best) and try again.' : 'Could not read the style of the selected layers. Select glyphs or icons of one style and try again.', message(e))
    } finally {
      if (run === seq.current) ctx.setBusy(false)
    }
    if (!live.current.matchClosely) return
    setFit({ step: 0, steps: FIT_STEPS })
    // progress reports travel through comlink unawaited: one may land after the fit has returned, and must not
    // bring the bar back
    let finished = false
    try {
      const w = await ctx.worker()
      const onProgress = proxy((p: { step: number; steps: number }) => {
        if (run === seq.current && !finished) setFit({ step: p.step, steps: p.steps })
      })
      const fitted = await w.fitFromPngs(key, refs, ids, { steps: FIT_STEPS }, onProgress)
      if (run !== seq.current) return
      if (!fitted) return ctx.notify('Match closely cancelled: showing the quick match')
      if (!ctx.isShowing(key, token)) return
      ctx.show(key, fitted, targets, focus, source)
      ctx.notify(`Matched closely: ${FIT_STEPS} refinement steps in ${Math.round(fitted.ms)} ms`)
    } catch (e) {
      if (run === seq.current) ctx.fail('Could not match the selection closely; the grid shows the quick match.', message(e))
    } finally {
      finished = true
      if (run === seq.current) setFit(null)
    }
  }

  async function cancelFit(): Promise<void> {
    await (await ctx.worker()).cancelFit()
  }

  /** Turning "Match closely" on opens the refinement graph in the worker while the designer selects. */
  const toggleMatchClosely = (on: boolean): void => {
    setMatchClosely(on)
    const { key, card } = ctx.current()
    if (on && card) void ctx.worker().then((w) => w.prepareFit(key)).catch(() => undefined)
  }

  return {
    asking,
    fit,
    matchClosely,
    setMatchClosely: toggleMatchClosely,
    received,
    setAskClass,
    confirmAsk,
    cancelAsk: (): void => {
      closeAsk()
      ctx.setBusy(false)
    },
    cancelFit: (): void => void cancelFit(),
  }
}

export type SelectionStyle = ReturnType<typeof useSelectionStyle>
