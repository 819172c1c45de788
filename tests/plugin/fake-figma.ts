/**
 * A typed fake of the Figma API slice the plugin uses (plugin/figma-api.ts). It keeps a small document tree so
 * tests can check what an insert built, and records UI messages, notifications, window resizes, client storage
 * and undo commits. Dependency free, so the browser harness bundles it too and runs the built code.js against
 * it (and renders its document, see {@link FakeFigma.renderSvg}).
 */
import type { ComponentLike, FigmaApi, FrameLike, GroupLike, NodeLike, PaintStyleLike, ParameterInput, ParentLike, RunEventLike, SceneNodeLike } from '../../plugin/figma-api.js'

let nextId = 1

export class FakeNode implements SceneNodeLike, ParentLike {
  readonly id = `1:${nextId++}`
  name: string
  x = 0
  y = 0
  width: number
  height: number
  removed = false
  parent: FakeNode | FakePage | null = null
  children: FakeNode[] = []
  characters?: string
  /** Text layers: their font ({ family, style }), or a symbol for several fonts (figma.mixed). */
  fontName: unknown = { family: 'Inter', style: 'Regular' }
  textAutoResize: 'NONE' | 'WIDTH_AND_HEIGHT' | 'HEIGHT' | 'TRUNCATE' = 'NONE'
  fills: readonly unknown[] | symbol = [{ type: 'SOLID', color: { r: 0, g: 0, b: 0 } }]
  fillStyleId: string | symbol = ''
  /** Vectors: their SVG path data (viewBox units) and the scale from viewBox units to the node's px. */
  path: string | null = null
  pathScale = 1
  readonly pluginData = new Map<string, string>()
  relaunchData: { [command: string]: string } = {}
  /** What exportAsync returns (called with the node as `this`, so a text layer's export can depend on its characters). */
  exportPng: ((this: FakeNode) => Uint8Array) | null = null
  /** Set by FakeFigma: resolves style ids for setFillStyleIdAsync. */
  styles: (() => readonly PaintStyleLike[]) | null = null
  constructor(public type: string, name: string, width = 0, height = 0) {
    this.name = name
    this.width = width
    this.height = height
  }
  /** A copy beside the original in its parent (Figma's clone: same properties and plugin data, new id). */
  clone(): FakeNode {
    const c = new FakeNode(this.type, this.name, this.width, this.height)
    Object.assign(c, { x: this.x, y: this.y, characters: this.characters, fontName: this.fontName, textAutoResize: this.textAutoResize, fills: this.fills, exportPng: this.exportPng, styles: this.styles })
    for (const [k, v] of this.pluginData) c.pluginData.set(k, v)
    const parent = this.parent
    if (parent) adopt(parent, c, parent.children.indexOf(this) + 1)
    return c
  }
  remove(): void {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this)
    this.parent = null
    this.removed = true
  }
  getPluginData(key: string): string {
    return this.pluginData.get(key) ?? ''
  }
  setPluginData(key: string, value: string): void {
    this.pluginData.set(key, value)
  }
  setRelaunchData(data: { [command: string]: string }): void {
    this.relaunchData = { ...data }
  }
  /** Scales the node and everything in it (as Figma's rescale does). */
  rescale(scale: number): void {
    if (!(scale >= 0.01)) throw new Error(`rescale: scale ${scale} must be >= 0.01`)
    const walk = (n: FakeNode, top: boolean): void => {
      n.width *= scale
      n.height *= scale
      n.pathScale *= scale
      if (!top) {
        n.x *= scale
        n.y *= scale
      }
      n.children.forEach((c) => walk(c, false))
    }
    walk(this, true)
  }
  async setFillStyleIdAsync(id: string): Promise<void> {
    const style = this.styles?.().find((s) => s.id === id)
    if (!style) throw new Error(`no style with id ${id}`)
    this.fillStyleId = id
    this.fills = style.paints.slice()
  }
  insertChild(index: number, child: SceneNodeLike): void {
    if (index < 0 || index > this.children.length) throw new Error(`insertChild: index ${index} out of range`)
    adopt(this, child as FakeNode, index)
  }
  appendChild(child: SceneNodeLike): void {
    adopt(this, child as FakeNode, this.children.length)
  }
  async exportAsync(): Promise<Uint8Array> {
    if (!this.exportPng) throw new Error('this node cannot be exported')
    return this.exportPng()
  }
}

/** Moves `child` into `parent` at `index`, keeping its x/y relative to the new parent (Figma keeps relativeTransform). */
function adopt(parent: FakeNode | FakePage, child: FakeNode, index: number): void {
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child)
  child.parent = parent
  parent.children.splice(index, 0, child)
}

export class FakePage implements ParentLike {
  readonly id = '0:1'
  readonly type = 'PAGE'
  children: FakeNode[] = []
  selection: readonly SceneNodeLike[] = []
  append(node: FakeNode): void {
    adopt(this, node, this.children.length)
  }
  insertChild(index: number, child: SceneNodeLike): void {
    if (index < 0 || index > this.children.length) throw new Error(`insertChild: index ${index} out of range`)
    adopt(this, child as FakeNode, index)
  }
  appendChild(child: SceneNodeLike): void {
    this.append(child as FakeNode)
  }
}

export interface FakeOptions {
  command?: string
  /** Makes createNodeFromSvg throw on the n-th call (1-based), to test rollback. */
  failSvgAt?: number
  /** Initial figma.clientStorage contents. */
  storage?: Record<string, unknown>
  /** The document's local paint styles. */
  paintStyles?: PaintStyleLike[]
  /** Font families loadFontAsync cannot load (as for a font missing on this computer). */
  missingFonts?: string[]
}

export class FakeFigma implements FigmaApi {
  command: string
  readonly currentPage = new FakePage()
  readonly posted: unknown[] = []
  readonly notifications: { message: string; error: boolean }[] = []
  shown: { html: string; options: unknown } | null = null
  /** Every figma.ui.resize call. */
  readonly resizes: { width: number; height: number }[] = []
  readonly storage: Map<string, unknown>
  readonly paintStyles: PaintStyleLike[]
  closed = false
  undoCommits = 0
  /** Every font loaded with loadFontAsync, as "family style". */
  readonly loadedFonts: string[] = []
  scrolledTo: readonly NodeLike[] = []
  private svgCalls = 0
  private readonly handlers: { run: ((e: RunEventLike) => void)[]; selectionchange: (() => void)[]; input: ((e: ParameterInput) => void)[] } = { run: [], selectionchange: [], input: [] }
  readonly viewport = {
    center: { x: 1000, y: 500 },
    scrollAndZoomIntoView: (nodes: readonly NodeLike[]): void => {
      this.scrolledTo = nodes
    },
  }
  readonly ui = {
    postMessage: (m: unknown): void => void this.posted.push(m),
    onmessage: undefined as ((message: unknown, props: { origin: string }) => void) | undefined,
    resize: (width: number, height: number): void => void this.resizes.push({ width, height }),
  }
  readonly clientStorage = {
    getAsync: async (key: string): Promise<unknown> => structuredClone(this.storage.get(key)),
    setAsync: async (key: string, value: unknown): Promise<void> => void this.storage.set(key, structuredClone(value)),
  }
  readonly parameters = { on: (_: 'input', cb: (e: ParameterInput) => void): void => void this.handlers.input.push(cb) }

  constructor(private readonly options: FakeOptions = {}) {
    this.command = options.command ?? ''
    this.storage = new Map(Object.entries(options.storage ?? {}))
    this.paintStyles = options.paintStyles ?? []
  }

  showUI(html: string, options?: unknown): void {
    this.shown = { html, options }
  }
  createNodeFromSvg(svg: string): FrameLike {
    this.svgCalls++
    if (this.options.failSvgAt === this.svgCalls) throw new Error('simulated createNodeFromSvg failure')
    const w = /<svg[^>]* width="([\d.]+)"/.exec(svg)
    const h = /<svg[^>]* height="([\d.]+)"/.exec(svg)
    const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)
    if (!w || !h || !vb) throw new Error('createNodeFromSvg: could not parse svg')
    const frame = this.node('FRAME', 'svg', Number(w[1]), Number(h[1]))
    for (const m of svg.matchAll(/<path d="([^"]*)"(?: fill="([^"]*)")?/g)) {
      const vector = this.node('VECTOR', 'Vector', frame.width, frame.height)
      vector.path = m[1]!
      vector.pathScale = frame.width / Number(vb[1])
      vector.pluginData.set('__d', m[1]!)
      vector.parent = frame
      frame.children.push(vector)
    }
    this.currentPage.append(frame)
    return frame as FakeNode & FrameLike
  }
  createComponentFromNode(node: SceneNodeLike): ComponentLike {
    const n = node as FakeNode
    if (n.type !== 'FRAME') throw new Error(`createComponentFromNode: cannot convert a ${n.type}`)
    // Figma replaces the node by a component with the same children, position and parent.
    const c = this.node('COMPONENT', n.name, n.width, n.height)
    c.x = n.x
    c.y = n.y
    c.fills = n.fills
    const parent = n.parent ?? this.currentPage
    const index = parent.children.indexOf(n)
    for (const k of n.children.slice()) adopt(c, k, c.children.length)
    n.remove()
    adopt(parent, c, Math.max(0, index))
    return c as FakeNode & ComponentLike
  }
  async getLocalPaintStylesAsync(): Promise<readonly PaintStyleLike[]> {
    return this.paintStyles
  }
  async loadFontAsync(font: { family: string; style: string }): Promise<void> {
    if (this.options.missingFonts?.includes(font.family)) throw new Error(`The font "${font.family} ${font.style}" could not be loaded`)
    this.loadedFonts.push(`${font.family} ${font.style}`)
  }
  async getNodeByIdAsync(id: string): Promise<NodeLike | null> {
    return this.allNodes().find((n) => n.id === id) ?? null
  }
  group(nodes: readonly NodeLike[], parent: { readonly id: string }): GroupLike {
    if (nodes.length === 0) throw new Error('group: cannot group zero nodes')
    if (parent !== this.currentPage) throw new Error('group: unknown parent')
    const kids = nodes as FakeNode[]
    const g = this.node('GROUP', 'Group')
    const x0 = Math.min(...kids.map((k) => k.x))
    const y0 = Math.min(...kids.map((k) => k.y))
    g.width = Math.max(...kids.map((k) => k.x + k.width)) - x0
    g.height = Math.max(...kids.map((k) => k.y + k.height)) - y0
    this.currentPage.append(g)
    for (const k of kids) {
      k.x -= x0
      k.y -= y0
      adopt(g, k, g.children.length)
    }
    // The group's position setter moves children along (as in Figma); the fake keeps children relative.
    g.x = x0
    g.y = y0
    return g as FakeNode & GroupLike
  }
  notify(message: string, options?: { error?: boolean }): void {
    this.notifications.push({ message, error: options?.error === true })
  }
  commitUndo(): void {
    this.undoCommits++
  }
  closePlugin(): void {
    this.closed = true
  }
  on(type: 'selectionchange' | 'run', cb: ((e: RunEventLike) => void) | (() => void)): void {
    ;(this.handlers[type] as unknown[]).push(cb)
  }

  // ---- test helpers ----
  /** A new node of this document (setFillStyleIdAsync resolves this document's styles). */
  node(type: string, name: string, width = 0, height = 0): FakeNode {
    const n = new FakeNode(type, name, width, height)
    n.styles = () => this.paintStyles
    return n
  }
  run(command: string, parameters?: { [key: string]: unknown }): void {
    this.command = command
    for (const cb of this.handlers.run) cb({ command, parameters })
  }
  /** Delivers a message from the UI and waits for the handler to finish. */
  async fromUi(message: unknown): Promise<void> {
    this.ui.onmessage?.(message, { origin: 'null' })
    await new Promise((r) => setTimeout(r, 0))
  }
  select(nodes: FakeNode[]): void {
    this.currentPage.selection = nodes
    for (const cb of this.handlers.selectionchange) cb()
  }
  input(key: string, query: string, parameters: { [key: string]: unknown } = {}): { suggestions: unknown[]; error: string | null } {
    const out = { suggestions: [] as unknown[], error: null as string | null }
    for (const cb of this.handlers.input) {
      cb({ key, query, parameters, result: { setSuggestions: (s) => void (out.suggestions = s), setError: (e) => void (out.error = e) } })
    }
    return out
  }
  /** Every node on the page, depth first. */
  allNodes(): FakeNode[] {
    const out: FakeNode[] = []
    const walk = (n: FakeNode): void => {
      out.push(n)
      n.children.forEach(walk)
    }
    this.currentPage.children.forEach(walk)
    return out
  }
  /** A node's position on the page (children are kept relative to their parent). */
  absolute(n: FakeNode): { x: number; y: number } {
    let x = 0
    let y = 0
    for (let p: FakeNode | FakePage | null = n; p && p instanceof FakeNode; p = p.parent) {
      x += p.x
      y += p.y
    }
    return { x, y }
  }
  /**
   * The page as an SVG document: every vector's path at its place, in its fill (#rrggbb of its first solid
   * paint), over `background`. Used to render the document the plugin built in the browser tests.
   */
  renderSvg(o: { background?: string; padding?: number; nodes?: FakeNode[] } = {}): string {
    const vectors = (o.nodes ?? this.currentPage.children).flatMap((n) => [n, ...this.descendants(n)]).filter((n) => n.path !== null)
    if (vectors.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    const pad = o.padding ?? 16
    const boxes = vectors.map((v) => ({ v, ...this.absolute(v) }))
    const x0 = Math.min(...boxes.map((b) => b.x)) - pad
    const y0 = Math.min(...boxes.map((b) => b.y)) - pad
    const x1 = Math.max(...boxes.map((b) => b.x + b.v.width)) + pad
    const y1 = Math.max(...boxes.map((b) => b.y + b.v.height)) + pad
    const hex = (p: unknown): string => {
      const c = (p as { color?: { r: number; g: number; b: number } }).color
      return c ? `#${[c.r, c.g, c.b].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}` : '#000000'
    }
    const paths = boxes.map(({ v, x, y }) => {
      const fill = Array.isArray(v.fills) && v.fills[0] ? hex(v.fills[0]) : 'none'
      return `<path transform="translate(${x - x0} ${y - y0}) scale(${v.pathScale})" d="${v.path}" fill="${fill}" fill-rule="evenodd"/>`
    })
    const w = Math.ceil(x1 - x0)
    const h = Math.ceil(y1 - y0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="${o.background ?? '#ffffff'}"/>${paths.join('')}</svg>`
  }
  private descendants(n: FakeNode): FakeNode[] {
    return n.children.flatMap((c) => [c, ...this.descendants(c)])
  }
}
