/**
 * One Session interface over onnxruntime-node and onnxruntime-web. Both packages expose the same
 * onnxruntime-common API, so one adapter serves both; the entry points pick the package. The onnxruntime types are
 * described structurally here, so the published .d.ts files need neither package to type-check.
 */
import { LatentypeError } from '../errors.js'

export interface TensorData {
  data: Float32Array
  dims: number[]
}

/** An inference session on one graph. */
export interface Session {
  /** Runs the graph; returns the requested outputs. */
  run(feeds: Record<string, TensorData>, outputs: readonly string[]): Promise<Record<string, TensorData>>
  release(): Promise<void>
  /** e.g. "onnxruntime-node/cpu", "onnxruntime-web/wasm", "onnxruntime-web/webgpu". */
  readonly backend: string
}

/** Creates sessions from ONNX bytes. */
export interface Backend {
  readonly name: string
  createSession(model: Uint8Array): Promise<Session>
}

/** The slice of an onnxruntime tensor the adapter reads. */
export interface OrtTensorLike {
  readonly dims: readonly number[]
  getData(): Promise<unknown>
  dispose(): void
}

/** The slice of an onnxruntime InferenceSession the adapter uses. */
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>, fetches: string[]): Promise<Record<string, OrtTensorLike>>
  release(): Promise<void>
}

/** Session options passed through to `InferenceSession.create` (executionProviders, threads, …). */
export type OrtSessionOptions = Record<string, unknown>

/** The slice of an onnxruntime module (node or web) the adapter needs. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: never): Promise<OrtSessionLike> }
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike
}

/** How the adapter reports a model that onnxruntime refuses to open (wrong bytes, unsupported op, …). */
export type OpenFailure = (error: unknown, name: string) => LatentypeError

const defaultOpenFailure: OpenFailure = (e, name) => new LatentypeError('BAD_MODEL', `${name} could not open the model: ${firstLine(e)} — the file is damaged or not a latentype model; re-download or re-export it`, { cause: e })

/** The first line of an error message, without onnxruntime's source locations ("onnxruntime_src/…/x.cc:123 Fn"). */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e)
  const cleaned = msg
    .split('\n')[0]!
    .replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*[A-Z_]+\s*:\s*/g, '')
    .replace(/\/?onnxruntime_src\/\S*\s+(?:[A-Za-z_:]+\s+)?/g, ' ')
    .replace(/\S+\.(?:cc|cpp|h):\d+\s+(?:[A-Za-z_:]+\s+)?/g, '')
    .replace(/\s*Build with -sASSERTIONS for more info\.?/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  return cleaned.length > 240 ? `${cleaned.slice(0, 240)}…` : cleaned || 'unknown error'
}

/** Wraps an onnxruntime module as a {@link Backend}. Errors leave it as {@link LatentypeError}s, the original as `cause`. */
export function ortBackend(ort: OrtModule, name: string, options: OrtSessionOptions = {}, onOpenFailure: OpenFailure = defaultOpenFailure): Backend {
  return {
    name,
    async createSession(model: Uint8Array): Promise<Session> {
      let session: OrtSessionLike
      try {
        session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options } as never)
      } catch (e) {
        throw onOpenFailure(e, name)
      }
      return ortSession(ort, session, name)
    },
  }
}

/** A {@link Session} over an open onnxruntime session. */
export function ortSession(ort: OrtModule, session: OrtSessionLike, name: string): Session {
  let released = false
  return {
    backend: name,
    async run(feeds, outputs) {
      if (released) throw new LatentypeError('DISPOSED', `the ${name} session was released — load the model again`)
      const ortFeeds: Record<string, OrtTensorLike> = {}
      const out: Record<string, TensorData> = {}
      try {
        for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims)
        const result = await session.run(ortFeeds, outputs as string[])
        for (const k of outputs) {
          const t = result[k]
          if (!t) throw new Error(`output "${k}" missing from the result`)
          out[k] = { data: (await t.getData()) as Float32Array, dims: [...t.dims] }
          t.dispose()
        }
      } catch (e) {
        if (e instanceof LatentypeError) throw e
        throw new LatentypeError('RUNTIME', `${name} failed while running the model: ${firstLine(e)}`, { cause: e })
      }
      return out
    },
    async release() {
      if (released) return
      released = true
      await session.release()
    },
  }
}
