/**
 * latentype for browsers and web workers (onnxruntime-web). Which wasm file onnxruntime-web needs and how to hand
 * it over (served beside the bundle, `wasmPaths`, or `wasmBinary`): README, "Browsers", and sdk/runtime/web.ts.
 *
 * @example
 * ```ts
 * import { Generator } from 'latentype/web'
 * const gen = await Generator.load('/models/glyphs.onnx', { executionProviders: 'auto', onProgress: console.log })
 * const { bitmaps } = await gen.generate({ class: 'A', n: 8, seed: 1 })
 * ```
 */
import { Generator as CoreGenerator } from './generate/generator.js'
import { fetchWithProgress, reportWhole, type ProgressCallback } from './generate/progress.js'
import type { Backend } from './runtime/session.js'
import { webBackend, type WebBackendOptions } from './runtime/web.js'

export interface WebLoadOptions extends WebBackendOptions {
  /** Loading progress: initiate → progress (while fetching) → done → ready. */
  onProgress?: ProgressCallback
  /** Use another backend instead of onnxruntime-web. */
  backend?: Backend
}

export class Generator extends CoreGenerator {
  /** Loads a model from bytes or a URL (fetched, with progress). */
  static async load(source: Uint8Array | ArrayBuffer | string, options: WebLoadOptions = {}): Promise<Generator> {
    const { onProgress, backend, ...web } = options
    let bytes: Uint8Array
    const file = typeof source === 'string' ? source : 'model'
    if (typeof source === 'string') bytes = await fetchWithProgress(source, onProgress)
    else {
      bytes = source instanceof Uint8Array ? source : new Uint8Array(source)
      reportWhole(onProgress, file, bytes.length)
    }
    const gen = await Generator.fromBytes(bytes, backend ?? webBackend(web), file)
    onProgress?.({ status: 'ready', file, backend: gen.backend })
    return gen
  }
}

export * from './common.js'
export { webBackend, webGpuUnavailable, ortWasmBuildOf, defaultWasmBuild, ORT_WASM_FILES, type WebBackend, type WebBackendOptions, type ExecutionProvider, type OrtWasmBuild } from './runtime/web.js'
export type { WebLoadOptions as LoadOptions }
