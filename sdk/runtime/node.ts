/** onnxruntime-node backend (CPU). */
import * as ort from 'onnxruntime-node'
import { ortBackend, type Backend, type OrtModule } from './session.js'

export interface NodeBackendOptions {
  /** Intra-op threads (default: ORT's choice, all cores). */
  threads?: number
}

export function nodeBackend(o: NodeBackendOptions = {}): Backend {
  return ortBackend(ort as unknown as OrtModule, 'onnxruntime-node/cpu', {
    executionProviders: ['cpu'],
    ...(o.threads ? { intraOpNumThreads: o.threads, interOpNumThreads: 1 } : {}),
  })
}
