/**
 * onnxruntime-node backend (CPU). onnxruntime-node is an optional peer dependency: it is imported on the first
 * session, so `latentype` also loads without it (PNG, tracing, model cards), and a missing install is reported as a
 * {@link LatentypeError} that says what to install.
 */
import { LatentypeError } from '../errors.js'
import { ortBackend, type Backend, type OrtModule, type Session } from './session.js'

export interface NodeBackendOptions {
  /**
   * Intra-op threads. Default 1: the shipped decoders are small and one thread gives the lowest single-latent
   * latency (0.25 vs 0.32 ms); from batch 16 on, 2 threads are ~25 % faster — pass `threads` for bulk work
   * (BENCHMARKS.md, `npm run bench:infer`).
   */
  threads?: number
}

let ortNode: Promise<OrtModule> | undefined

/** onnxruntime-node, imported once. */
export function loadOrtNode(): Promise<OrtModule> {
  ortNode ??= import('onnxruntime-node').then(
    (m) => ('InferenceSession' in m ? m : (m as { default: unknown }).default) as OrtModule,
    (e: unknown) => {
      ortNode = undefined
      throw new LatentypeError(
        'MISSING_RUNTIME',
        `onnxruntime-node is not installed (${(e as Error).message.split('\n')[0]}) — run \`npm install onnxruntime-node\` (offline: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node), or use latentype/web with onnxruntime-web`,
        { cause: e },
      )
    },
  )
  return ortNode
}

export function nodeBackend(o: NodeBackendOptions = {}): Backend {
  const name = 'onnxruntime-node/cpu'
  const options = { executionProviders: ['cpu'], intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1 }
  return {
    name,
    async createSession(model: Uint8Array): Promise<Session> {
      return ortBackend(await loadOrtNode(), name, options).createSession(model)
    },
  }
}
