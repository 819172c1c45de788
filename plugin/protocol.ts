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
  /** Selected drawings "style from selection" exports at most (the SDK combines up to 16 references). */
  maxReferences: 16,
  maxNotifyChars: 200,
  /** JSON characters of the UI's remembered settings (figma.clientStorage). */
  maxSettingsChars: 64_000,
  maxStyleIdChars: 200,
  /** Plugin window size range (figma.ui.resize). */
  minWindow: { width: 340, height: 480 },
  maxWindow: { width: 1200, height: 1600 },
} as const

/** px size presets for insertion, as icon plugins offer them. */
export const SIZE_PRESETS = [16, 20, 24, 32, 48] as const

/** The inserted vectors' fill: a colour (`#rrggbb`) or a document colour style (its id). */
export type FillChoice = { kind: 'color'; hex: string } | { kind: 'style'; id: string }

/** A local solid colour style of the document, offered as an insert colour. */
export interface PaintStyleInfo {
  id: string
  name: string
  /** The style's colour as `#rrggbb`. */
  hex: string
}

/** The plugin window's size (remembered in figma.clientStorage). */
export interface WindowSize {
  width: number
  height: number
}

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
  | {
      type: 'insert'
      items: InsertItem[]
      /** px: each variant becomes a size × size node at whole-pixel positions. */
      size: number
      columns: number
      groupName: string
      closeAfter?: boolean
      /** Fill of the vectors (default black). Ignored when replacing: the replaced node's fill is kept. */
      fill?: FillChoice
      /** Insert each variant as a component instead of a plain frame of vectors. */
      asComponent?: boolean
      /** Replace this latentype node in place (one item): same parent, layer order, position, size and fill. */
      replaceId?: string
    }
  | { type: 'export-selection'; size: number }
  | { type: 'notify'; message: string; error?: boolean }
  | { type: 'quick-failed'; message: string }
  /** Remember the UI's settings (last model, class, per-model generation settings, insert options). */
  | { type: 'save-settings'; settings: Record<string, unknown> }
  /** Resize the plugin window; `save` remembers the size for the next opening. */
  | { type: 'resize'; width: number; height: number; save?: boolean }

/** The selected latentype node that Replace would swap (exactly one frame or component of ours selected). */
export interface ReplaceTarget {
  id: string
  type: 'FRAME' | 'COMPONENT'
  width: number
  height: number
}

/** A short description of the document selection. */
export interface SelectionInfo {
  count: number
  /** Name of the first selected node. */
  name: string | null
  /** Characters when the first selected node is a text node (a hint for "style from selection"). */
  text: string | null
  /** Plugin data of the first selected node (or its first latentype child), when it is one of ours. */
  variant: VariantData | null
  /** Set when exactly one latentype frame or component is selected: Insert can replace it in place. */
  replaceable: ReplaceTarget | null
  /** The first solid fill (`#rrggbb`) of the first selected node or of its first vector inside, if any. */
  fill: string | null
}

/**
 * One selected drawing exported for "style from selection" (a layer, or one character of a text layer), with
 * what hints at its class. The UI matches the hints against the open model's classes.
 */
export interface SelectionDrawing {
  /** PNG export, longer side = the requested size. */
  png: Uint8Array
  /** The layer's name. */
  name: string
  /** The single character it shows: a one-character text layer, or one character of a longer one. */
  char: string | null
  /** The class stored by latentype on the layer (or its first latentype child), when it is one of ours. */
  variantClass: string | null
}

/** Main → UI. */
export type MainMessage =
  | {
      type: 'init'
      command: string
      models: ModelInfo[]
      selection: SelectionInfo
      edit: VariantData | null
      /** What the UI last saved with save-settings (figma.clientStorage), or null on first use. */
      settings: Record<string, unknown> | null
      /** The document's local solid colour styles. */
      styles: PaintStyleInfo[]
      window: WindowSize
    }
  | { type: 'selection'; selection: SelectionInfo }
  /** The selection's drawings in selection order (at most LIMITS.maxReferences); `skipped`: layers left out. */
  | { type: 'selection-png'; items: SelectionDrawing[]; skipped: number }
  | { type: 'inserted'; count: number; groupId: string; groupName: string; replaced: boolean }
  | { type: 'quick-generate'; modelKey: string; class: string; count: number; seed: number; settings: Record<string, unknown> | null }
  | { type: 'error'; code: ProtocolErrorCode; message: string }

export type ProtocolErrorCode = 'BAD_MESSAGE' | 'BAD_SVG' | 'NO_SELECTION' | 'EXPORT_FAILED' | 'INSERT_FAILED'

/** The message type string of a UI message, for handler tables. */
export type UiMessageType = UiMessage['type']
/** A handler per message, as in create-figma-plugin's typed events. */
export type UiHandlers = { [K in UiMessageType]: (msg: Extract<UiMessage, { type: K }>) => void | Promise<void> }
export type MainHandlers = { [K in MainMessage['type']]: (msg: Extract<MainMessage, { type: K }>) => void }
