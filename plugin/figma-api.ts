/**
 * The slice of Figma's plugin API the main thread uses, as narrow structural types. `plugin/code.ts` passes the
 * real `figma` global where a {@link FigmaApi} is expected, so the compiler checks these types against
 * `@figma/plugin-typings`; tests pass a typed fake (tests/plugin/fake-figma.ts).
 */

export interface NodeLike {
  readonly id: string
  readonly type: string
  name: string
  readonly removed: boolean
  remove(): void
  getPluginData(key: string): string
}

export interface ExportPngSettings {
  format: 'PNG'
  constraint?: { type: 'SCALE' | 'WIDTH' | 'HEIGHT'; value: number }
}

/** A node that holds children (page, frame, group, component), as far as insert and replace need it. */
export interface ParentLike {
  readonly id: string
  readonly type: string
  readonly children: readonly NodeLike[]
  insertChild(index: number, child: SceneNodeLike): void
  appendChild(child: SceneNodeLike): void
}

export interface SceneNodeLike extends NodeLike {
  x: number
  y: number
  readonly width: number
  readonly height: number
  readonly parent: ParentLike | null
  setPluginData(key: string, value: string): void
  setRelaunchData(data: { [command: string]: string }): void
  exportAsync(settings: ExportPngSettings): Promise<Uint8Array>
}

/** A node with fills: the vectors inside an inserted variant. `fills` holds Figma Paint objects. */
export interface FillableLike extends SceneNodeLike {
  fills: readonly unknown[] | symbol
  readonly fillStyleId: string | symbol
  setFillStyleIdAsync(styleId: string): Promise<void>
}

export interface FrameLike extends SceneNodeLike, ParentLike {
  readonly type: 'FRAME' | 'COMPONENT'
  readonly children: readonly SceneNodeLike[]
  fills: readonly unknown[] | symbol
  rescale(scale: number): void
}

export interface ComponentLike extends FrameLike {
  readonly type: 'COMPONENT'
}

export interface GroupLike extends SceneNodeLike {
  readonly type: 'GROUP'
}

/** A text layer, as far as exporting its characters one at a time needs it. */
export interface TextLike extends SceneNodeLike {
  readonly type: 'TEXT'
  characters: string
  /** A FontName ({ family, style }), or figma.mixed (a symbol) when the text uses several fonts. */
  readonly fontName: unknown
  textAutoResize: 'NONE' | 'WIDTH_AND_HEIGHT' | 'HEIGHT' | 'TRUNCATE'
  /** A copy in the same parent (plugin data included). */
  clone(): TextLike
}

export interface PageLike extends ParentLike {
  selection: readonly SceneNodeLike[]
}

export interface PaintStyleLike {
  readonly id: string
  readonly name: string
  /** Figma Paint objects; a style is offered when it is one visible SOLID paint. */
  readonly paints: readonly unknown[]
}

export interface SuggestionResultsLike {
  setSuggestions(suggestions: Array<string | { name: string; data?: unknown }>): void
  setError(message: string): void
}

export interface ParameterInput {
  key: string
  query: string
  parameters: { [key: string]: unknown }
  result: SuggestionResultsLike
}

export interface RunEventLike {
  command: string
  parameters?: { [key: string]: unknown }
}

export interface ViewportLike {
  readonly center: { x: number; y: number }
  scrollAndZoomIntoView(nodes: readonly NodeLike[]): void
}

export interface FigmaApi {
  readonly command: string
  readonly currentPage: PageLike
  readonly viewport: ViewportLike
  readonly ui: {
    postMessage(message: unknown): void
    onmessage: ((message: unknown, props: { origin: string }) => void) | undefined
    resize(width: number, height: number): void
  }
  readonly clientStorage: {
    getAsync(key: string): Promise<unknown>
    setAsync(key: string, value: unknown): Promise<void>
  }
  readonly parameters: { on(type: 'input', callback: (event: ParameterInput) => void): void }
  showUI(html: string, options?: { visible?: boolean; width?: number; height?: number; title?: string; themeColors?: boolean }): void
  createNodeFromSvg(svg: string): FrameLike
  /** Turns a frame into a component in place (same children, position and parent). */
  createComponentFromNode(node: SceneNodeLike): ComponentLike
  getLocalPaintStylesAsync(): Promise<readonly PaintStyleLike[]>
  /** Loads a font so a text layer using it can be edited (required before setting `characters`). */
  loadFontAsync(font: { family: string; style: string }): Promise<void>
  getNodeByIdAsync(id: string): Promise<NodeLike | null>
  group(nodes: readonly NodeLike[], parent: { readonly id: string }): GroupLike
  notify(message: string, options?: { error?: boolean; timeout?: number }): unknown
  commitUndo(): void
  closePlugin(message?: string): void
  on(type: 'selectionchange', callback: () => void): void
  on(type: 'run', callback: (event: RunEventLike) => void): void
}
