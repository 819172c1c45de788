/**
 * The training step both `bench:train` and `bench:profile` time: the step graph of a spec opened once, fed a
 * fixed synthetic batch (20 % ink, classes round-robin) with the weights and Adam state carried between steps;
 * `params` counts the model's trained values.
 */
import { heInit } from '../sdk/graph/layers.js'
import type { ConvImpl } from '../sdk/graph/conv-gemm.js'
import type { ConvWeightGrad } from '../sdk/graph/ops/conv-grad.js'
import type { ConvInputGrad } from '../sdk/graph/ops/conv-input-grad.js'
import type { CvaeSpec } from '../sdk/model/spec.js'
import { Rng } from '../sdk/random.js'
import { buildStepGraph, TRAIN_IO } from '../sdk/train/graphs.js'
import { GraphRunner, scalarFeed, type Feeds, type RunnerOptions } from '../sdk/train/session.js'
import { StepState } from '../sdk/train/step-state.js'

const GRADS: readonly ConvWeightGrad[] = ['auto', 'batched', 'gather', 'shift', 'dilated']
const CONVS: readonly ConvImpl[] = ['auto', 'gemm', 'onnx']
const DXS: readonly ConvInputGrad[] = ['auto', 'phases', 'gather', 'convT']

export async function syntheticStep(spec: CvaeSpec, batch: number, grad: ConvWeightGrad, runner: RunnerOptions, conv: ConvImpl = 'auto', dx: ConvInputGrad = 'auto'): Promise<{ step: () => Promise<void>; runner: GraphRunner; params: number }> {
  if (!GRADS.includes(grad)) throw new Error(`--grad ${grad} is not a conv weight gradient — use one of ${GRADS.join(', ')}`)
  if (!CONVS.includes(conv)) throw new Error(`--conv ${conv} is not a convolution lowering — use one of ${CONVS.join(', ')}`)
  if (!DXS.includes(dx)) throw new Error(`--dx ${dx} is not a conv input gradient — use one of ${DXS.join(', ')}`)
  const built = buildStepGraph(spec, heInit(1), { batchSize: batch, grad: { convWeightGrad: grad, convInputGrad: dx }, loss: { conv } })
  const session = await GraphRunner.open(built.model, runner)
  const rng = new Rng(1)
  const S = spec.imageSize
  const K = spec.numClasses
  const feeds: Feeds = {
    [TRAIN_IO.x]: { data: Float32Array.from({ length: batch * S * S }, () => (rng.uniform() < 0.2 ? 1 : 0)), dims: [batch, 1, S, S] },
    [TRAIN_IO.class]: { data: Float32Array.from({ length: batch * K }, (_, i) => (i % K === Math.floor(i / K) % K ? 1 : 0)), dims: [batch, K] },
    [TRAIN_IO.beta]: scalarFeed(1),
  }
  const state = new StepState(built.params)
  let s = 0
  const step = async (): Promise<void> => {
    s++
    feeds[TRAIN_IO.eps] = { data: rng.normals(batch * spec.latentSize), dims: [batch, spec.latentSize] }
    const out = await session.run({ ...feeds, ...state.feeds(s, 1e-3) }, [TRAIN_IO.loss, ...state.outputNames])
    state.advance(out)
  }
  const params = built.params.reduce((n, p) => n + p.shape.reduce((a, d) => a * d, 1), 0)
  return { step, runner: session, params }
}
