/**
 * onnxruntime-web backend (wasm, or WebGPU first with wasm fallback). In a Figma plugin UI the page has a null
 * origin, so the wasm must be passed as bytes (`wasmBinary`) and threads kept at 1.
 */
import * as ort from 'onnxruntime-web'
import { ortBackend, type Backend, type OrtModule } from './session.js'

export interface WebBackendOptions {
  /** Execution providers in order of preference (default ['wasm']). */
  executionProviders?: ('webgpu' | 'wasm')[]
  /** The ORT wasm binary as bytes, for pages that cannot fetch it (Figma's null-origin iframe). */
  wasmBinary?: ArrayBuffer | Uint8Array
  /** wasm threads; 1 unless the page is cross-origin isolated. */
  numThreads?: number
  /** Another onnxruntime-web build (e.g. `onnxruntime-web/all` for WebGPU); defaults to the package main. */
  ort?: unknown
}

export function webBackend(o: WebBackendOptions = {}): Backend {
  const mod = (o.ort ?? ort) as typeof ort
  if (o.wasmBinary) mod.env.wasm.wasmBinary = o.wasmBinary
  mod.env.wasm.numThreads = o.numThreads ?? 1
  const eps = o.executionProviders ?? ['wasm']
  return ortBackend(mod as unknown as OrtModule, `onnxruntime-web/${eps[0]}`, { executionProviders: eps })
}
