/** Reading the document selection: a summary for the UI and a PNG export for "style from selection". */
import type { SceneNodeLike } from './figma-api.js'
import { PLUGIN_DATA_KEY, type SelectionInfo } from './protocol.js'
import { parseVariantData, PluginMessageError } from './validate.js'

type WithChildren = SceneNodeLike & { children?: readonly SceneNodeLike[]; characters?: string }

export function describeSelection(selection: readonly SceneNodeLike[]): SelectionInfo {
  const first = selection[0] as WithChildren | undefined
  if (!first) return { count: 0, name: null, text: null, variant: null }
  let variant = parseVariantData(first.getPluginData(PLUGIN_DATA_KEY))
  if (!variant && first.type === 'GROUP' && first.children) {
    for (const child of first.children) {
      variant = parseVariantData(child.getPluginData(PLUGIN_DATA_KEY))
      if (variant) break
    }
  }
  const text = first.type === 'TEXT' && typeof first.characters === 'string' ? first.characters.slice(0, 16) : null
  return { count: selection.length, name: first.name.slice(0, 200), text, variant }
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
