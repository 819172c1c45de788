/** The main thread: Figma work only. Validates UI messages, inserts variants, exports the selection. */
import type { FigmaApi } from './figma-api.js'
import { insertVariants } from './insert.js'
import { EDIT_COMMAND, QUICK_COMMAND, type MainMessage, type ModelInfo, type UiHandlers, type VariantData } from './protocol.js'
import { readQuickRun, suggestParameters } from './quick.js'
import { describeSelection, exportSelection } from './selection.js'
import { PluginMessageError, validateUiMessage } from './validate.js'

export interface PluginEnv {
  figma: FigmaApi
  html: string
  models: ModelInfo[]
  /** Seed source for quick actions (tests pass a fixed one). */
  random?: () => number
}

export const UI_SIZE = { width: 380, height: 640 } as const
const QUICK_TIMEOUT_MS = 120_000

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

  const handlers: UiHandlers = {
    ready: () => {
      if (quick) return post({ type: 'quick-generate', ...quick })
      const selection = describeSelection(figma.currentPage.selection)
      const edit: VariantData | null = command === EDIT_COMMAND ? selection.variant : null
      post({ type: 'init', command, models, selection, edit })
    },
    insert: (msg) => {
      const group = insertVariants(figma, msg)
      post({ type: 'inserted', count: msg.items.length, groupId: group.id, groupName: group.name })
      if (msg.closeAfter) {
        figma.notify(`latentype: inserted ${msg.items.length} × ${msg.items[0]!.data.class}`)
        close()
      }
    },
    'export-selection': async (msg) => {
      const png = await exportSelection(figma.currentPage.selection, msg.size)
      const info = describeSelection(figma.currentPage.selection)
      post({ type: 'selection-png', png, name: info.name ?? '', text: info.text })
    },
    notify: (msg) => void figma.notify(msg.message, { error: msg.error }),
    'quick-failed': (msg) => {
      figma.notify(`latentype: ${msg.message}`, { error: true })
      close()
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
    figma.showUI(env.html, { ...UI_SIZE, title: 'latentype', themeColors: true })
  })

  figma.on('selectionchange', () => {
    if (!quick) post({ type: 'selection', selection: describeSelection(figma.currentPage.selection) })
  })
}
