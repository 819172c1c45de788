/** The main thread: Figma work only. Validates UI messages, inserts variants, exports the selection. */
import type { FigmaApi } from './figma-api.js'
import { insertVariants } from './insert.js'
import { EDIT_COMMAND, LIMITS, QUICK_COMMAND, type MainMessage, type ModelInfo, type PaintStyleInfo, type UiHandlers, type VariantData, type WindowSize } from './protocol.js'
import { readQuickRun, suggestParameters } from './quick.js'
import { describeSelection, exportDrawings, solidHex } from './selection.js'
import { PluginMessageError, validateUiMessage } from './validate.js'

export interface PluginEnv {
  figma: FigmaApi
  html: string
  models: ModelInfo[]
  /** Seed source for quick actions (tests pass a fixed one). */
  random?: () => number
}

export const UI_SIZE: WindowSize = { width: 380, height: 640 }
const QUICK_TIMEOUT_MS = 120_000
/** figma.clientStorage keys. */
export const STORAGE = { settings: 'latentype.settings.v1', window: 'latentype.window.v1' } as const
const MAX_STYLES = 200


/** A stored window size, clamped to the allowed range; the default when absent or malformed. */
export function readWindowSize(v: unknown): WindowSize {
  const o = v as { width?: unknown; height?: unknown } | null
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
  if (!o || !ok(o.width) || !ok(o.height)) return { ...UI_SIZE }
  const clamp = (x: number, lo: number, hi: number): number => Math.round(Math.min(hi, Math.max(lo, x)))
  return { width: clamp(o.width, LIMITS.minWindow.width, LIMITS.maxWindow.width), height: clamp(o.height, LIMITS.minWindow.height, LIMITS.maxWindow.height) }
}

async function readStorage(figma: FigmaApi, key: string): Promise<unknown> {
  try {
    return await figma.clientStorage.getAsync(key)
  } catch {
    return undefined
  }
}

async function localColourStyles(figma: FigmaApi): Promise<PaintStyleInfo[]> {
  try {
    const styles = await figma.getLocalPaintStylesAsync()
    const out: PaintStyleInfo[] = []
    for (const s of styles) {
      const hex = s.paints.length === 1 ? solidHex(s.paints[0]) : null
      if (hex) out.push({ id: s.id, name: s.name.slice(0, 80), hex })
      if (out.length >= MAX_STYLES) break
    }
    return out
  } catch {
    return []
  }
}

/** Wires the plugin up: parameter suggestions, the run event, UI messages. */
export function startPlugin(env: PluginEnv): void {
  const { figma, models } = env
  const post = (m: MainMessage): void => figma.ui.postMessage(m)
  let quick: { modelKey: string; class: string; count: number; seed: number } | null = null
  let command = ''
  let quickTimer: ReturnType<typeof setTimeout> | undefined
  const close = (): void => {
    if (quickTimer !== undefined) clearTimeout(quickTimer)
    figma.closePlugin()
  }
  // Read while the UI loads (its first message comes long after these resolve).
  const settings = readStorage(figma, STORAGE.settings).then((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null))
  let windowSize: WindowSize | null = null
  const storedWindow = readStorage(figma, STORAGE.window).then((v) => (windowSize = readWindowSize(v)))

  const handlers: UiHandlers = {
    ready: async () => {
      if (quick) return post({ type: 'quick-generate', ...quick, settings: await settings })
      const selection = describeSelection(figma.currentPage.selection)
      const edit: VariantData | null = command === EDIT_COMMAND ? selection.variant : null
      const [s, styles, window] = await Promise.all([settings, localColourStyles(figma), storedWindow])
      post({ type: 'init', command, models, selection, edit, settings: s, styles, window })
    },
    insert: async (msg) => {
      const { node, replaced } = await insertVariants(figma, msg)
      post({ type: 'inserted', count: msg.items.length, groupId: node.id, groupName: node.name, replaced })
      const first = msg.items[0]!.data
      const n = msg.items.length
      const what = new Set(msg.items.map((i) => i.data.class)).size > 1 ? `${n} variants` : n === 1 ? first.class : `${n} × ${first.class}`
      figma.notify(replaced ? `Replaced with ${first.class} · seed ${first.seed}` : `Inserted ${what}${msg.asComponent ? ' as components' : ''}`, { timeout: 2500 })
      if (msg.closeAfter) close()
    },
    'export-selection': async (msg) => {
      const { items, skipped } = await exportDrawings(figma, figma.currentPage.selection, msg.size)
      post({ type: 'selection-png', items, skipped })
    },
    notify: (msg) => void figma.notify(msg.message, { error: msg.error }),
    'quick-failed': (msg) => {
      figma.notify(`latentype: ${msg.message}`, { error: true })
      close()
    },
    'save-settings': async (msg) => {
      await figma.clientStorage.setAsync(STORAGE.settings, msg.settings)
    },
    resize: async (msg) => {
      figma.ui.resize(msg.width, msg.height)
      windowSize = { width: msg.width, height: msg.height }
      if (msg.save) await figma.clientStorage.setAsync(STORAGE.window, windowSize)
    },
  }

  figma.ui.onmessage = (raw: unknown) => {
    void handleUiMessage(raw)
  }

  async function handleUiMessage(raw: unknown): Promise<void> {
    try {
      const msg = validateUiMessage(raw)
      await (handlers[msg.type] as (m: typeof msg) => void | Promise<void>)(msg)
    } catch (e) {
      const err = e instanceof PluginMessageError ? e : new PluginMessageError('INSERT_FAILED', (e as Error).message ?? String(e))
      post({ type: 'error', code: err.code, message: err.message })
      if (quick) {
        figma.notify(`latentype: ${err.message}`, { error: true })
        close()
      }
    }
  }

  figma.parameters.on('input', (ev) => suggestParameters(models, ev))

  figma.on('run', (ev) => {
    command = ev.command
    if (ev.command === QUICK_COMMAND && ev.parameters) {
      const run = readQuickRun(models, ev.parameters, env.random ?? Math.random)
      if ('error' in run) {
        figma.notify(`latentype: ${run.error}`, { error: true })
        figma.closePlugin()
        return
      }
      quick = run
      figma.showUI(env.html, { visible: false })
      quickTimer = setTimeout(() => {
        figma.notify('latentype: generation timed out', { error: true })
        close()
      }, QUICK_TIMEOUT_MS)
      return
    }
    // The remembered size when storage already answered (the usual case), else the default and a resize later.
    const size = windowSize ?? UI_SIZE
    figma.showUI(env.html, { ...size, title: 'latentype', themeColors: true })
    if (!windowSize) void storedWindow.then((w) => (w.width !== size.width || w.height !== size.height) && figma.ui.resize(w.width, w.height))
  })

  figma.on('selectionchange', () => {
    if (!quick) post({ type: 'selection', selection: describeSelection(figma.currentPage.selection) })
  })
}
