/**
 * Insertion: traced variants become editable vectors at the viewport centre (several: one named group), or one
 * variant replaces a latentype node in place. Every node is built and coloured before the document is touched
 * elsewhere; if any step fails, what was built is removed and the error says nothing was added.
 */
import type { ComponentLike, FigmaApi, FillableLike, FrameLike, NodeLike, SceneNodeLike } from './figma-api.js'
import { EDIT_COMMAND, PLUGIN_DATA_KEY, type FillChoice, type InsertItem, type UiMessage } from './protocol.js'
import { isVariantNode } from './selection.js'
import { PluginMessageError } from './validate.js'

type InsertMessage = Extract<UiMessage, { type: 'insert' }>

/** Gap between variants, as a fraction of their size. */
const GAP = 0.25

export interface InsertResult {
  /** The group (several variants), the one variant, or the replaced node. */
  node: SceneNodeLike
  replaced: boolean
}

const hexToRgb = (hex: string): { r: number; g: number; b: number } => ({
  r: parseInt(hex.slice(1, 3), 16) / 255,
  g: parseInt(hex.slice(3, 5), 16) / 255,
  b: parseInt(hex.slice(5, 7), 16) / 255,
})

/** The vectors inside a node built by createNodeFromSvg (or one of our variants), depth first. */
function vectorsOf(node: SceneNodeLike): FillableLike[] {
  const out: FillableLike[] = []
  const walk = (n: SceneNodeLike): void => {
    if (n.type === 'VECTOR' || n.type === 'BOOLEAN_OPERATION') out.push(n as FillableLike)
    for (const c of (n as { children?: readonly SceneNodeLike[] }).children ?? []) walk(c)
  }
  for (const c of (node as FrameLike).children ?? []) walk(c)
  return out
}

async function applyFill(vectors: readonly FillableLike[], fill: FillChoice | undefined): Promise<void> {
  const f = fill ?? { kind: 'color', hex: '#000000' }
  for (const v of vectors) {
    if (f.kind === 'color') v.fills = [{ type: 'SOLID', color: hexToRgb(f.hex) }]
    else {
      try {
        await v.setFillStyleIdAsync(f.id)
      } catch (e) {
        throw new Error(`the colour style is not available (${(e as Error).message}) — pick another colour`)
      }
    }
  }
}

/** Copies the fill (paints and colour style) of the first vector of `from` onto `to`. */
async function copyFill(from: SceneNodeLike, to: readonly FillableLike[]): Promise<void> {
  const src = vectorsOf(from)[0]
  if (!src) return
  for (const v of to) {
    if (typeof src.fillStyleId === 'string' && src.fillStyleId) await v.setFillStyleIdAsync(src.fillStyleId)
    else if (Array.isArray(src.fills)) v.fills = src.fills.slice()
  }
}

function tag(node: SceneNodeLike, item: InsertItem): void {
  node.name = item.name
  node.setPluginData(PLUGIN_DATA_KEY, JSON.stringify(item.data))
  node.setRelaunchData({ [EDIT_COMMAND]: `${item.data.class} · seed ${item.data.seed} · ${item.data.model}` })
}

/** A frame of vectors from the traced SVG, transparent, scaled so that its width is `width` px. */
function buildFrame(figma: FigmaApi, item: InsertItem, width: number): FrameLike {
  const frame = figma.createNodeFromSvg(item.svg)
  frame.fills = []
  if (frame.width > 0) frame.rescale(width / frame.width)
  return frame
}

const removeAll = (nodes: readonly NodeLike[]): void => {
  for (const n of nodes) if (!n.removed) n.remove()
}

/**
 * Inserts the message's variants (or replaces one node); one undo step on success. Throws INSERT_FAILED with
 * nothing left behind otherwise.
 */
export async function insertVariants(figma: FigmaApi, msg: InsertMessage): Promise<InsertResult> {
  if (msg.replaceId !== undefined) return replaceVariant(figma, msg, msg.replaceId)
  const built: SceneNodeLike[] = []
  const step = Math.round(msg.size * (1 + GAP))
  try {
    for (const [i, item] of msg.items.entries()) {
      let node: FrameLike | ComponentLike = buildFrame(figma, item, msg.size)
      built.push(node)
      await applyFill(vectorsOf(node), msg.fill)
      if (msg.asComponent) {
        node = figma.createComponentFromNode(node)
        built[built.length - 1] = node
      }
      tag(node, item)
      node.x = (i % msg.columns) * step
      node.y = Math.floor(i / msg.columns) * step
    }
    let top: SceneNodeLike
    if (built.length === 1) top = built[0]!
    else {
      top = figma.group(built, figma.currentPage)
      top.name = msg.groupName
      built.push(top)
    }
    // Whole pixels: the variants are size × size at integer offsets, so the top-left snaps the lot to the grid.
    const c = figma.viewport.center
    top.x = Math.round(c.x - top.width / 2)
    top.y = Math.round(c.y - top.height / 2)
    figma.currentPage.selection = [top]
    figma.viewport.scrollAndZoomIntoView([top])
    figma.commitUndo()
    return { node: top, replaced: false }
  } catch (e) {
    removeAll(built)
    throw new PluginMessageError('INSERT_FAILED', `could not insert: ${(e as Error).message} — nothing was added to the document`)
  }
}

/**
 * Replaces a latentype frame in place (same parent, layer order, position, size and fill). A latentype
 * component keeps its identity — only its vectors are swapped — so its instances update.
 */
async function replaceVariant(figma: FigmaApi, msg: InsertMessage, id: string): Promise<InsertResult> {
  const item = msg.items[0]!
  const old = (await figma.getNodeByIdAsync(id)) as SceneNodeLike | null
  if (!old || old.removed || !old.parent || !isVariantNode(old)) {
    throw new PluginMessageError('INSERT_FAILED', 'could not replace: the selected latentype icon is gone or is no longer one of ours — select it again; nothing was changed')
  }
  let frame: FrameLike | null = null
  const moved: SceneNodeLike[] = []
  try {
    frame = buildFrame(figma, item, old.width)
    const fresh = vectorsOf(frame)
    await copyFill(old, fresh)
    if (old.type === 'COMPONENT') {
      const comp = old as unknown as ComponentLike
      const before = comp.children.slice()
      for (const v of frame.children.slice()) {
        comp.appendChild(v)
        moved.push(v)
      }
      removeAll(before)
      frame.remove()
      tag(comp, item)
      figma.currentPage.selection = [comp]
      figma.commitUndo()
      return { node: comp, replaced: true }
    }
    const parent = old.parent
    frame.x = old.x
    frame.y = old.y
    parent.insertChild(parent.children.indexOf(old), frame)
    tag(frame, item)
    old.remove()
    figma.currentPage.selection = [frame]
    figma.commitUndo()
    return { node: frame, replaced: true }
  } catch (e) {
    removeAll(moved)
    if (frame) removeAll([frame])
    throw new PluginMessageError('INSERT_FAILED', `could not replace: ${(e as Error).message} — nothing was changed`)
  }
}
