/** Reading the document selection: a summary for the UI and a PNG export for "style from selection". */
import type { FigmaApi, SceneNodeLike, TextLike } from './figma-api.js'
import { LIMITS, PLUGIN_DATA_KEY, type ReplaceTarget, type SelectionDrawing, type SelectionInfo, type VariantData } from './protocol.js'
import { parseVariantData, PluginMessageError } from './validate.js'

type WithChildren = SceneNodeLike & { children?: readonly SceneNodeLike[]; characters?: string; fills?: readonly unknown[] | symbol }

/** `#rrggbb` of a visible SOLID Figma paint, else null. */
export function solidHex(paint: unknown): string | null {
  const p = paint as { type?: unknown; visible?: unknown; color?: { r?: unknown; g?: unknown; b?: unknown } } | null
  if (!p || p.type !== 'SOLID' || p.visible === false || !p.color) return null
  const ch = (v: unknown): string | null => (typeof v === 'number' && v >= 0 && v <= 1 ? Math.round(v * 255).toString(16).padStart(2, '0') : null)
  const parts = [ch(p.color.r), ch(p.color.g), ch(p.color.b)]
  return parts.every((x) => x !== null) ? `#${parts.join('')}` : null
}

/** The first solid fill of a node or of its descendants (depth first, a few levels), e.g. an icon's vector. */
export function firstSolidFill(node: WithChildren, depth = 4): string | null {
  if (Array.isArray(node.fills)) {
    for (const p of node.fills) {
      const hex = solidHex(p)
      if (hex) return hex
    }
  }
  if (depth === 0 || !node.children) return null
  for (const c of node.children) {
    const hex = firstSolidFill(c as WithChildren, depth - 1)
    if (hex) return hex
  }
  return null
}

/** True for one of our inserted variants (a frame or component with latentype plugin data). */
export function isVariantNode(node: SceneNodeLike): node is SceneNodeLike & { type: 'FRAME' | 'COMPONENT' } {
  return (node.type === 'FRAME' || node.type === 'COMPONENT') && parseVariantData(node.getPluginData(PLUGIN_DATA_KEY)) !== null
}

/** The variant latentype stored on a node, or on the first child of a group that has one. */
function variantOf(node: WithChildren): VariantData | null {
  const own = parseVariantData(node.getPluginData(PLUGIN_DATA_KEY))
  if (own || node.type !== 'GROUP' || !node.children) return own
  for (const child of node.children) {
    const v = parseVariantData(child.getPluginData(PLUGIN_DATA_KEY))
    if (v) return v
  }
  return null
}

export function describeSelection(selection: readonly SceneNodeLike[]): SelectionInfo {
  const first = selection[0] as WithChildren | undefined
  if (!first) return { count: 0, name: null, text: null, variant: null, replaceable: null, fill: null }
  const variant = variantOf(first)
  const text = first.type === 'TEXT' && typeof first.characters === 'string' ? first.characters.slice(0, 16) : null
  const replaceable: ReplaceTarget | null =
    selection.length === 1 && isVariantNode(first) ? { id: first.id, type: first.type as 'FRAME' | 'COMPONENT', width: first.width, height: first.height } : null
  return { count: selection.length, name: first.name.slice(0, 200), text, variant, replaceable, fill: firstSolidFill(first) }
}

/** Exports a node as a PNG whose longer side is `size` px; failures name the node. */
async function exportPng(node: SceneNodeLike, size: number, name = node.name): Promise<Uint8Array> {
  const type = node.width >= node.height ? 'WIDTH' : 'HEIGHT'
  try {
    return await node.exportAsync({ format: 'PNG', constraint: { type, value: size } })
  } catch (e) {
    throw new PluginMessageError('EXPORT_FAILED', `could not export "${name}": ${(e as Error).message}`)
  }
}

const isFontName = (v: unknown): v is { family: string; style: string } =>
  v !== null && typeof v === 'object' && typeof (v as { family?: unknown }).family === 'string' && typeof (v as { style?: unknown }).style === 'string'

/**
 * The drawings of a text layer: one per visible character (each exported from a temporary copy of the layer
 * holding that character alone), or the whole layer when it holds one character or its font cannot be loaded
 * (several fonts in one layer, a missing font).
 */
async function textDrawings(figma: FigmaApi, node: TextLike, size: number, room: number): Promise<SelectionDrawing[]> {
  const chars = [...node.characters].filter((c) => c.trim() !== '')
  const whole = async (): Promise<SelectionDrawing[]> => [{ png: await exportPng(node, size), name: node.name, char: chars.length === 1 ? chars[0]! : null, variantClass: null }]
  if (chars.length <= 1 || !isFontName(node.fontName)) return whole()
  try {
    await figma.loadFontAsync(node.fontName)
  } catch {
    return whole()
  }
  const out: SelectionDrawing[] = []
  for (const ch of chars.slice(0, room)) {
    const copy = node.clone()
    try {
      copy.textAutoResize = 'WIDTH_AND_HEIGHT'
      copy.characters = ch
      out.push({ png: await exportPng(copy, size, `${ch}" of "${node.name}`), name: node.name, char: ch, variantClass: null })
    } finally {
      copy.remove()
    }
  }
  return out
}

/**
 * "Style from selection": every selected layer as a PNG whose longer side is `size` px, with its class hints,
 * in selection order, at most {@link LIMITS.maxReferences} drawings (a text layer gives one per character).
 */
export async function exportDrawings(figma: FigmaApi, selection: readonly SceneNodeLike[], size: number): Promise<{ items: SelectionDrawing[]; skipped: number }> {
  if (selection.length === 0) throw new PluginMessageError('NO_SELECTION', 'select a glyph or icon in the document first')
  const items: SelectionDrawing[] = []
  let skipped = 0
  for (const node of selection) {
    const room = LIMITS.maxReferences - items.length
    if (room <= 0) {
      skipped++
      continue
    }
    if (node.type === 'TEXT' && typeof (node as WithChildren).characters === 'string') {
      const drawings = await textDrawings(figma, node as TextLike, size, room)
      items.push(...drawings)
      if (drawings.length === room) skipped += Math.max(0, [...(node as TextLike).characters].filter((c) => c.trim() !== '').length - room)
      continue
    }
    items.push({ png: await exportPng(node, size), name: node.name, char: null, variantClass: variantOf(node as WithChildren)?.class ?? null })
  }
  return { items, skipped }
}
