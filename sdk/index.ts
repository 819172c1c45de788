/**
 * latentype for Node (onnxruntime-node).
 *
 * @example
 * ```ts
 * import { Generator } from 'latentype'
 * const gen = await Generator.load('models/glyphs.onnx')
 * const { bitmaps } = await gen.generate({ class: 'A', n: 4, seed: 1 })
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LatentypeError } from './errors.js'
import { Generator as CoreGenerator } from './generate/generator.js'
import { nodeBackend, type NodeBackendOptions } from './runtime/node.js'
import type { Backend } from './runtime/session.js'

/** The package's committed default models. */
export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models')

/** Resolves "glyphs" → models/glyphs.onnx; paths are returned as given. Throws FILE_NOT_FOUND. */
export function resolveModelPath(nameOrPath: string): string {
  if (existsSync(nameOrPath)) return nameOrPath
  const named = join(MODELS_DIR, nameOrPath.endsWith('.onnx') ? nameOrPath : `${nameOrPath}.onnx`)
  if (!/[\\/]/.test(nameOrPath) && existsSync(named)) return named
  throw new LatentypeError('FILE_NOT_FOUND', `model "${nameOrPath}" not found — give a path to a .onnx file or a model name from ${MODELS_DIR}`)
}

/**
 * The committed default model of a kind: the trained `models/<kind>.onnx` when present, else the untrained
 * stand-in `models/demo-<kind>.onnx` (with `trained: false`, so callers can say so).
 */
export function defaultModel(kind: 'glyphs' | 'icons'): { path: string; trained: boolean } {
  const trained = join(MODELS_DIR, `${kind}.onnx`)
  if (existsSync(trained)) return { path: trained, trained: true }
  return { path: join(MODELS_DIR, `demo-${kind}.onnx`), trained: false }
}

export interface LoadOptions extends NodeBackendOptions {
  /** Use another backend (e.g. webBackend() to run onnxruntime-web's wasm in Node). */
  backend?: Backend
}

export class Generator extends CoreGenerator {
  /** Loads a model from a path, a default model name ("glyphs", "icons") or bytes. */
  static async load(source: string | Uint8Array, options: LoadOptions = {}): Promise<Generator> {
    const path = typeof source === 'string' ? resolveModelPath(source) : undefined
    const bytes = path ? new Uint8Array(readFileSync(path)) : (source as Uint8Array)
    return Generator.fromBytes(bytes, options.backend ?? nodeBackend(options), path ?? 'model')
  }
}

export * from './common.js'
export { nodeBackend } from './runtime/node.js'
export { writeFileAtomic } from './node/atomic.js'
