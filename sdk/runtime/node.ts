/** onnxruntime-node backend (CPU). */
import * as ort from 'onnxruntime-node'
import { ortBackend, type Backend, type OrtModule } from './session.js'

export interface NodeBackendOptions {
  /**
   * Intra-op threads. Default 1: the shipped decoders are small and one thread gives the lowest single-latent
   * latency (0.25 vs 0.32 ms); from batch 16 on, 2 threads are ~25 % faster — pass `threads` for bulk work
   * (BENCHMARKS.md, `npm run bench:infer`).
   */
  threads?: number
}

export function nodeBackend(o: NodeBackendOptions = {}): Backend {
  return ortBackend(ort as unknown as OrtModule, 'onnxruntime-node/cpu', {
    executionProviders: ['cpu'],
    intraOpNumThreads: o.threads ?? 1,
    interOpNumThreads: 1,
  })
}
