/**
 * A typed fake of the Figma API slice the plugin uses (plugin/figma-api.ts). It keeps a small document tree so
 * tests can check what an insert built, and records UI messages, notifications and undo commits. Dependency
 * free, so the browser harness bundles it too and runs the built code.js against it.
 */
import type { FigmaApi, FrameLike, GroupLike, NodeLike, ParameterInput, RunEventLike, SceneNodeLike } from '../../plugin/figma-api.js'

let nextId = 1

export class FakeNode implements SceneNodeLike {
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
  fills: readonly unknown[] | symbol = [{ type: 'SOLID' }]
  readonly pluginData = new Map<string, string>()
  relaunchData: { [command: string]: string } = {}
  exportPng: (() => Uint8Array) | null = null
  constructor(readonly type: string, name: string, width = 0, height = 0) {
    this.name = name
    this.width = width
    this.height = height
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
  rescale(scale: number): void {
    if (!(scale >= 0.01)) throw new Error(`rescale: scale ${scale} must be >= 0.01`)
    this.width *= scale
    this.height *= scale
  }
  async exportAsync(): Promise<Uint8Array> {
    if (!this.exportPng) throw new Error('this node cannot be exported')
    return this.exportPng()
  }
}

export class FakePage {
  readonly id = '0:1'
  children: FakeNode[] = []
  selection: readonly SceneNodeLike[] = []
  append(node: FakeNode): void {
    node.parent?.children.splice(node.parent.children.indexOf(node), 1)
    node.parent = this
    this.children.push(node)
  }
}

export interface FakeOptions {
  command?: string
  /** Makes createNodeFromSvg throw on the n-th call (1-based), to test rollback. */
  failSvgAt?: number
}

export class FakeFigma implements FigmaApi {
  command: string
  readonly currentPage = new FakePage()
  readonly posted: unknown[] = []
  readonly notifications: { message: string; error: boolean }[] = []
  shown: { html: string; options: unknown } | null = null
  closed = false
  undoCommits = 0
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
  }
  readonly parameters = { on: (_: 'input', cb: (e: ParameterInput) => void): void => void this.handlers.input.push(cb) }

  constructor(private readonly options: FakeOptions = {}) {
    this.command = options.command ?? ''
  }

  showUI(html: string, options?: unknown): void {
    this.shown = { html, options }
  }
  createNodeFromSvg(svg: string): FrameLike {
    this.svgCalls++
    if (this.options.failSvgAt === this.svgCalls) throw new Error('simulated createNodeFromSvg failure')
    const w = /<svg[^>]* width="([\d.]+)"/.exec(svg)
    const h = /<svg[^>]* height="([\d.]+)"/.exec(svg)
    if (!w || !h) throw new Error('createNodeFromSvg: could not parse svg')
    const frame = new FakeNode('FRAME', 'svg', Number(w[1]), Number(h[1]))
    for (const m of svg.matchAll(/<path d="([^"]*)"/g)) {
      const vector = new FakeNode('VECTOR', 'Vector', frame.width, frame.height)
      vector.pluginData.set('__d', m[1]!)
      vector.parent = frame
      frame.children.push(vector)
    }
    this.currentPage.append(frame)
    return frame as FakeNode & FrameLike
  }
  group(nodes: readonly NodeLike[], parent: { readonly id: string }): GroupLike {
    if (nodes.length === 0) throw new Error('group: cannot group zero nodes')
    if (parent !== this.currentPage) throw new Error('group: unknown parent')
    const kids = nodes as FakeNode[]
    const g = new FakeNode('GROUP', 'Group')
    const x0 = Math.min(...kids.map((k) => k.x))
    const y0 = Math.min(...kids.map((k) => k.y))
    g.width = Math.max(...kids.map((k) => k.x + k.width)) - x0
    g.height = Math.max(...kids.map((k) => k.y + k.height)) - y0
    this.currentPage.append(g)
    for (const k of kids) {
      this.currentPage.children = this.currentPage.children.filter((c) => c !== k)
      k.parent = g
      g.children.push(k)
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
}
