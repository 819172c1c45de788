/**
 * The one message protocol between the plugin's main thread (`plugin/`) and its UI (`ui/`). Each message is a
 * type here; both sides import these types, and the main thread validates every message from the UI
 * (plugin/validate.ts) before it touches the document.
 */

/** What a model is, as both sides know it before any ML runs (read from the model cards at build time). */
export interface ModelInfo {
  /** Stable key, e.g. "icons" or "glyphs". */
  key: string
  /** The card's name, e.g. "icons" or "demo-icons". */
  name: string
  kind: 'icons' | 'glyphs' | 'other'
  imageSize: number
  latentSize: number
  /** Class labels and synonyms, for quick-action suggestions. */
  classes: { label: string; synonyms: string[] }[]
  trained: boolean
}

/** What the plugin stores on an inserted node (plugin data key {@link PLUGIN_DATA_KEY}) to edit it later. */
export interface VariantData {
  v: 1
  /** Model card name. */
  model: string
  /** Model key (ModelInfo.key). */
  modelKey: string
  class: string
  seed: number
  temperature: number
  latent: number[]
}

export const PLUGIN_DATA_KEY = 'latentype'
/** Relaunch command shown on inserted nodes. */
export const EDIT_COMMAND = 'edit'
/** Quick-action command (figma.parameters). */
export const QUICK_COMMAND = 'generate'

/** Caps the main thread enforces on messages from the UI. */
export const LIMITS = {
  maxItems: 256,
  maxSvgChars: 400_000,
  maxTotalSvgChars: 16_000_000,
  maxNameChars: 120,
  minSize: 4,
  maxSize: 4096,
  maxLatent: 1024,
  maxExportSize: 1024,
  maxNotifyChars: 200,
} as const

export interface InsertItem {
  /** Node name, `latentype/<model>/<class>/seed-<n>`; sanitised by the main thread. */
  name: string
  /** An SVG document exactly as sdk/image/trace.ts `traceToSvg` writes it. */
  svg: string
  data: VariantData
}

/** UI → main. */
export type UiMessage =
  | { type: 'ready' }
  | { type: 'insert'; items: InsertItem[]; size: number; columns: number; groupName: string; closeAfter?: boolean }
  | { type: 'export-selection'; size: number }
  | { type: 'notify'; message: string; error?: boolean }
  | { type: 'quick-failed'; message: string }

/** A short description of the document selection. */
export interface SelectionInfo {
  count: number
  /** Name of the first selected node. */
  name: string | null
  /** Characters when the first selected node is a text node (a hint for "style from selection"). */
  text: string | null
  /** Plugin data of the first selected node (or its first latentype child), when it is one of ours. */
  variant: VariantData | null
}

/** Main → UI. */
export type MainMessage =
  | { type: 'init'; command: string; models: ModelInfo[]; selection: SelectionInfo; edit: VariantData | null }
  | { type: 'selection'; selection: SelectionInfo }
  | { type: 'selection-png'; png: Uint8Array; name: string; text: string | null }
  | { type: 'inserted'; count: number; groupId: string; groupName: string }
  | { type: 'quick-generate'; modelKey: string; class: string; count: number; seed: number }
  | { type: 'error'; code: ProtocolErrorCode; message: string }

export type ProtocolErrorCode = 'BAD_MESSAGE' | 'BAD_SVG' | 'NO_SELECTION' | 'EXPORT_FAILED' | 'INSERT_FAILED'

/** The message type string of a UI message, for handler tables. */
export type UiMessageType = UiMessage['type']
/** A handler per message, as in create-figma-plugin's typed events. */
export type UiHandlers = { [K in UiMessageType]: (msg: Extract<UiMessage, { type: K }>) => void | Promise<void> }
export type MainHandlers = { [K in MainMessage['type']]: (msg: Extract<MainMessage, { type: K }>) => void }
