/**
 * One Session interface over onnxruntime-node and onnxruntime-web. Both packages expose the same
 * onnxruntime-common API, so one adapter serves both; the entry points pick the package.
 */
import type { InferenceSession as OrtSession, Tensor as OrtTensor } from 'onnxruntime-common'
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

/** The slice of an onnxruntime module (node or web) the adapter needs. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: OrtSession.SessionOptions): Promise<OrtSession> }
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor
}

/** Wraps an onnxruntime module as a {@link Backend}. */
export function ortBackend(ort: OrtModule, name: string, options: OrtSession.SessionOptions = {}): Backend {
  return {
    name,
    async createSession(model: Uint8Array): Promise<Session> {
      let session: OrtSession
      try {
        session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', ...options })
      } catch (e) {
        throw new LatentypeError('RUNTIME', `${name} could not open the model: ${(e as Error).message}`, { cause: e })
      }
      return {
        backend: name,
        async run(feeds, outputs) {
          const ortFeeds: Record<string, OrtTensor> = {}
          for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims)
          const result = await session.run(ortFeeds, outputs as string[])
          const out: Record<string, TensorData> = {}
          for (const k of outputs) {
            const t = result[k]!
            out[k] = { data: (await t.getData()) as Float32Array, dims: [...t.dims] }
            t.dispose()
          }
          return out
        },
        release: () => session.release(),
      }
    },
  }
}
