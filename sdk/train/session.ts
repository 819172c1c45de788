/**
 * Runs training graphs on onnxruntime-node: float32 tensors in and out by name, scalars as 0-d tensors.
 * One session per graph, created once; Float32Arrays are wrapped, not copied, on the way in.
 */
import * as ort from 'onnxruntime-node'
import { LatentypeError } from '../errors.js'
import type { Graph } from '../graph/graph.js'
import { encodeModel } from '../onnx/model-proto.js'
import { IR_VERSION, OPSET } from '../model/file.js'
import { SDK_VERSION } from '../version.js'

/** ONNX model bytes for a graph (opset 17); with `paramsAsInputs`, trainable weights are fed each run. */
export function graphModel(g: Graph, name: string, options: { paramsAsInputs?: boolean } = {}): Uint8Array {
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImports: [{ domain: '', version: OPSET }],
    producerName: 'latentype',
    producerVersion: SDK_VERSION,
    graph: g.toProto(name, options),
    metadata: {},
  })
}

export interface RunnerOptions {
  /** Intra-op threads (default: ORT's choice, all cores). */
  threads?: number
  /** ORT graph optimisation level (default 'all'). */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all'
  /** ORT memory-pattern planning for static shapes (default true). */
  memPattern?: boolean
  /** Run independent branches (e.g. a layer's dX and dW) concurrently: ORT's parallel executor with this many inter-op threads. */
  interOp?: number
  /** Write an onnxruntime per-node profile (Chrome trace JSON) with this file-name prefix (`npm run bench:profile` summarises one). */
  profile?: string
}

export type Feeds = Record<string, { data: Float32Array; dims: readonly number[] }>

/** A graph opened once and run many times. */
export class GraphRunner {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async open(model: Uint8Array, o: RunnerOptions = {}): Promise<GraphRunner> {
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: o.optimization ?? 'all',
        enableMemPattern: o.memPattern ?? true,
        enableCpuMemArena: true,
        executionMode: o.interOp && o.interOp > 1 ? 'parallel' : 'sequential',
        ...(o.profile ? { enableProfiling: true, profileFilePrefix: o.profile } : {}),
        ...(o.threads ? { intraOpNumThreads: o.threads } : {}),
        ...(o.threads || o.interOp ? { interOpNumThreads: o.interOp ?? 1 } : {}),
      })
      return new GraphRunner(session)
    } catch (e) {
      throw new LatentypeError('RUNTIME', `onnxruntime-node could not open the training graph: ${(e as Error).message}`, { cause: e })
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames
  }

  /** Runs the graph; returns the requested outputs as Float32Arrays. */
  async run(feeds: Feeds, outputs: readonly string[]): Promise<Record<string, Float32Array>> {
    const t: Record<string, ort.Tensor> = {}
    for (const [k, v] of Object.entries(feeds)) t[k] = new ort.Tensor('float32', v.data, v.dims as number[])
    const r = await this.session.run(t, outputs as string[])
    const out: Record<string, Float32Array> = {}
    for (const k of outputs) out[k] = r[k]!.data as Float32Array
    return out
  }

  /** Ends profiling (when opened with `profile`) and writes the trace file. */
  endProfiling(): void {
    this.session.endProfiling()
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}

/** A 0-d float tensor. */
export const scalarFeed = (v: number): { data: Float32Array; dims: number[] } => ({ data: Float32Array.of(v), dims: [] })
