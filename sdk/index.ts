/**
 * latentype for Node (onnxruntime-node, an optional peer dependency: `npm install latentype onnxruntime-node`).
 *
 * @example
 * ```ts
 * import { Generator } from 'latentype'
 * const gen = await Generator.load('glyphs')
 * const { bitmaps } = await gen.generate({ class: 'A', n: 4, seed: 1 })
 * ```
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LatentypeError } from './errors.js'
import { Generator as CoreGenerator } from './generate/generator.js'
import { reportWhole, type ProgressCallback } from './generate/progress.js'
import { fsError } from './node/fs-errors.js'
import { nodeBackend, type NodeBackendOptions } from './runtime/node.js'
import type { Backend } from './runtime/session.js'

/** The package's default models (`models/glyphs.onnx`, `models/icons.onnx`). */
export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models')

/** Resolves "glyphs" → models/glyphs.onnx; paths are returned as given. Throws FILE_NOT_FOUND. */
export function resolveModelPath(nameOrPath: string): string {
  if (typeof nameOrPath !== 'string' || nameOrPath === '') throw new LatentypeError('FILE_NOT_FOUND', 'no model given — pass a path to a .onnx file or a default model name ("glyphs", "icons")')
  if (existsSync(nameOrPath)) {
    if (statSync(nameOrPath).isDirectory()) throw new LatentypeError('FILE_SYSTEM', `model path ${nameOrPath} is a folder — give the .onnx file inside it (e.g. ${join(nameOrPath, 'model.onnx')})`)
    return nameOrPath
  }
  const named = join(MODELS_DIR, nameOrPath.endsWith('.onnx') ? nameOrPath : `${nameOrPath}.onnx`)
  if (!/[\\/]/.test(nameOrPath) && existsSync(named)) return named
  throw new LatentypeError('FILE_NOT_FOUND', `model "${nameOrPath}" not found — give a path to a .onnx file or a model name from ${MODELS_DIR}`)
}

/**
 * The default model of a kind: the trained `models/<kind>.onnx` when present, else the untrained stand-in
 * `models/demo-<kind>.onnx` of a source checkout (with `trained: false`, so callers can say so).
 */
export function defaultModel(kind: 'glyphs' | 'icons'): { path: string; trained: boolean } {
  const trained = join(MODELS_DIR, `${kind}.onnx`)
  if (existsSync(trained)) return { path: trained, trained: true }
  return { path: join(MODELS_DIR, `demo-${kind}.onnx`), trained: false }
}

export interface LoadOptions extends NodeBackendOptions {
  /** Use another backend (e.g. webBackend() from 'latentype/web' to run onnxruntime-web's wasm in Node). */
  backend?: Backend
  /** Loading progress: initiate → progress → done (file read) → ready (sessions open). */
  onProgress?: ProgressCallback
}

export class Generator extends CoreGenerator {
  /** Loads a model from a path, a default model name ("glyphs", "icons") or bytes. */
  static async load(source: string | Uint8Array, options: LoadOptions = {}): Promise<Generator> {
    const path = typeof source === 'string' ? resolveModelPath(source) : undefined
    let bytes: Uint8Array
    if (path === undefined) {
      if (!(source instanceof Uint8Array)) throw new LatentypeError('BAD_ARGUMENT', `Generator.load takes a path, a model name or the file's bytes (Uint8Array), got ${source === null ? 'null' : typeof source}`)
      bytes = source
    } else {
      try {
        bytes = new Uint8Array(readFileSync(path))
      } catch (e) {
        throw fsError(e, { path, action: 'read the model' }) ?? e
      }
    }
    const file = path ?? 'model'
    reportWhole(options.onProgress, file, bytes.length)
    const gen = await Generator.fromBytes(bytes, options.backend ?? nodeBackend(options), file)
    options.onProgress?.({ status: 'ready', file, backend: gen.backend })
    return gen
  }
}

export * from './common.js'
export { buildModelFile, type CardInput } from './model/file.js'
export { nodeBackend, type NodeBackendOptions } from './runtime/node.js'
export { writeFileAtomic } from './node/atomic.js'
export { describeFsError } from './node/fs-errors.js'
