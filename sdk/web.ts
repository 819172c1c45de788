/**
 * latentype for browsers and web workers (onnxruntime-web).
 *
 * @example
 * ```ts
 * import { Generator } from 'latentype/web'
 * const gen = await Generator.load(modelBytes, { wasmBinary })
 * const { bitmaps } = await gen.generate({ class: 'heart', n: 8, seed: 1 })
 * ```
 */
import { LatentypeError } from './errors.js'
import { Generator as CoreGenerator } from './generate/generator.js'
import { webBackend, type WebBackendOptions } from './runtime/web.js'

export class Generator extends CoreGenerator {
  /** Loads a model from bytes or a URL (fetch). */
  static async load(source: Uint8Array | ArrayBuffer | string, options: WebBackendOptions = {}): Promise<Generator> {
    let bytes: Uint8Array
    if (typeof source === 'string') {
      const res = await fetch(source).catch((e: unknown) => {
        throw new LatentypeError('FILE_NOT_FOUND', `could not fetch model ${source}: ${e instanceof Error ? e.message : String(e)} — check the URL and that the server is reachable`, { cause: e })
      })
      if (!res.ok) throw new LatentypeError('FILE_NOT_FOUND', `could not fetch model ${source}: HTTP ${res.status}`)
      bytes = new Uint8Array(await res.arrayBuffer())
    } else bytes = source instanceof Uint8Array ? source : new Uint8Array(source)
    return Generator.fromBytes(bytes, webBackend(options), typeof source === 'string' ? source : 'model')
  }
}

export * from './common.js'
export { webBackend, type WebBackendOptions } from './runtime/web.js'
