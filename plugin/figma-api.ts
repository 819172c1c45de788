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

export interface SceneNodeLike extends NodeLike {
  x: number
  y: number
  readonly width: number
  readonly height: number
  setPluginData(key: string, value: string): void
  setRelaunchData(data: { [command: string]: string }): void
  exportAsync(settings: ExportPngSettings): Promise<Uint8Array>
}

export interface FrameLike extends SceneNodeLike {
  readonly type: 'FRAME'
  fills: readonly unknown[] | symbol
  rescale(scale: number): void
}

export interface GroupLike extends SceneNodeLike {
  readonly type: 'GROUP'
}

export interface PageLike {
  readonly id: string
  selection: readonly SceneNodeLike[]
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
  }
  readonly parameters: { on(type: 'input', callback: (event: ParameterInput) => void): void }
  showUI(html: string, options?: { visible?: boolean; width?: number; height?: number; title?: string; themeColors?: boolean }): void
  createNodeFromSvg(svg: string): FrameLike
  group(nodes: readonly NodeLike[], parent: { readonly id: string }): GroupLike
  notify(message: string, options?: { error?: boolean; timeout?: number }): unknown
  commitUndo(): void
  closePlugin(message?: string): void
  on(type: 'selectionchange', callback: () => void): void
  on(type: 'run', callback: (event: RunEventLike) => void): void
}
