/** Insertion: traced variants become one named group of editable vectors at the viewport centre. */
import type { FigmaApi, FrameLike, GroupLike } from './figma-api.js'
import { EDIT_COMMAND, PLUGIN_DATA_KEY, type UiMessage } from './protocol.js'
import { PluginMessageError } from './validate.js'

type InsertMessage = Extract<UiMessage, { type: 'insert' }>

/** Gap between variants, as a fraction of their size. */
const GAP = 0.25

/**
 * Builds every node first; if any step fails, removes what was built and throws INSERT_FAILED, so the
 * document never keeps a half-inserted group. On success: selected, scrolled into view, one undo step.
 */
export function insertVariants(figma: FigmaApi, msg: InsertMessage): GroupLike {
  const built: FrameLike[] = []
  const step = msg.size * (1 + GAP)
  try {
    msg.items.forEach((item, i) => {
      const frame = figma.createNodeFromSvg(item.svg)
      built.push(frame)
      frame.name = item.name
      frame.fills = []
      if (frame.width > 0) frame.rescale(msg.size / frame.width)
      frame.x = (i % msg.columns) * step
      frame.y = Math.floor(i / msg.columns) * step
      frame.setPluginData(PLUGIN_DATA_KEY, JSON.stringify(item.data))
      frame.setRelaunchData({ [EDIT_COMMAND]: `${item.data.class} · seed ${item.data.seed} · ${item.data.model}` })
    })
    const group = figma.group(built, figma.currentPage)
    group.name = msg.groupName
    const c = figma.viewport.center
    group.x = Math.round(c.x - group.width / 2)
    group.y = Math.round(c.y - group.height / 2)
    figma.currentPage.selection = [group]
    figma.viewport.scrollAndZoomIntoView([group])
    figma.commitUndo()
    return group
  } catch (e) {
    for (const node of built) if (!node.removed) node.remove()
    throw new PluginMessageError('INSERT_FAILED', `could not insert: ${(e as Error).message} — nothing was added to the document`)
  }
}
