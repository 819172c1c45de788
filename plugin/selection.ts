/** Reading the document selection: a summary for the UI and a PNG export for "style from selection". */
import type { SceneNodeLike } from './figma-api.js'
import { PLUGIN_DATA_KEY, type ReplaceTarget, type SelectionInfo } from './protocol.js'
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

export function describeSelection(selection: readonly SceneNodeLike[]): SelectionInfo {
  const first = selection[0] as WithChildren | undefined
  if (!first) return { count: 0, name: null, text: null, variant: null, replaceable: null, fill: null }
  let variant = parseVariantData(first.getPluginData(PLUGIN_DATA_KEY))
  if (!variant && first.type === 'GROUP' && first.children) {
    for (const child of first.children) {
      variant = parseVariantData(child.getPluginData(PLUGIN_DATA_KEY))
      if (variant) break
    }
  }
  const text = first.type === 'TEXT' && typeof first.characters === 'string' ? first.characters.slice(0, 16) : null
  const replaceable: ReplaceTarget | null =
    selection.length === 1 && isVariantNode(first) ? { id: first.id, type: first.type as 'FRAME' | 'COMPONENT', width: first.width, height: first.height } : null
  return { count: selection.length, name: first.name.slice(0, 200), text, variant, replaceable, fill: firstSolidFill(first) }
}

/** Exports the first selected node as a PNG whose longer side is `size` px. */
export async function exportSelection(selection: readonly SceneNodeLike[], size: number): Promise<Uint8Array> {
  const node = selection[0]
  if (!node) throw new PluginMessageError('NO_SELECTION', 'select a glyph or icon in the document first')
  const type = node.width >= node.height ? 'WIDTH' : 'HEIGHT'
  try {
    return await node.exportAsync({ format: 'PNG', constraint: { type, value: size } })
  } catch (e) {
    throw new PluginMessageError('EXPORT_FAILED', `could not export "${node.name}": ${(e as Error).message}`)
  }
}
