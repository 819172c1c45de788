/**
 * What a training step graph carries from one step to the next, in one place: the weights and Adam moments go in
 * by name (`w`, `adam.m/w`, `adam.v/w`), their updated values come back as `next/…` outputs, and each step feeds
 * the Adam scalars for its step number and learning rate. The warm-up + cosine learning-rate schedule lives here
 * too. The CVAE trainer, the evaluation classifier and the training benchmark all step through this module.
 *
 * @example
 * ```ts
 * const built = buildStepGraph(spec, heInit(1), { batchSize: 64 })
 * const runner = await GraphRunner.open(built.model)
 * const state = new StepState(built.params)
 * for (let t = 1; t <= total; t++) {
 *   const lr = scheduledLr({ peak: 1e-3, total, warmupSteps: 100 }, t)
 *   const out = await runner.run({ ...batchFeeds, ...state.feeds(t, lr) }, [TRAIN_IO.loss, ...state.outputNames])
 *   state.advance(out)
 * }
 * ```
 */
import { adamScalars, type AdamOptions } from './adam.js'
import { TRAIN_IO, type ParamInfo } from './graphs.js'
import { scalarFeed, type Feeds } from './session.js'

/** A learning-rate schedule: linear warm-up to `peak`, then cosine decay to `peak·minFactor` at step `total` (or constant). */
export interface LrSchedule {
  peak: number
  /** Steps in the whole run. */
  total: number
  /** Linear warm-up from 0 over this many steps (default 0). */
  warmupSteps?: number
  /** `cosine` (default) decays after the warm-up; `constant` stays at the peak. */
  shape?: 'cosine' | 'constant'
  /** Floor of the cosine decay as a share of the peak (default 0.05). */
  minFactor?: number
}

/** Learning rate for step t (1-based) under schedule `s`. */
export function scheduledLr(s: LrSchedule, t: number): number {
  const warm = s.warmupSteps ?? 0
  if (t <= warm) return (s.peak * t) / warm
  if ((s.shape ?? 'cosine') === 'constant') return s.peak
  const f = s.minFactor ?? 0.05
  const p = Math.min(1, (t - warm) / Math.max(1, s.total - warm))
  return s.peak * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * p)))
}

/** The state tensor names of one parameter, in the order they are stored: weight, first moment, second moment. */
export function stateKeys(name: string): [string, string, string] {
  return [name, TRAIN_IO.m(name), TRAIN_IO.v(name)]
}

/** Weights and Adam moments of a step graph's parameters, fed into each step and replaced by its `next/…` outputs. */
export class StepState {
  /** Every state tensor by name (weights and moments; checkpoints store this map as is). */
  readonly tensors = new Map<string, Float32Array>()
  /** The `next/…` outputs a step must request so that {@link advance} can read them. */
  readonly outputNames: readonly string[]
  private readonly entries: { key: string; dims: readonly number[] }[]

  /** Starts from the parameters' initial values (copied) and zero moments. */
  constructor(readonly params: readonly ParamInfo[], private readonly adam: AdamOptions = {}) {
    for (const p of params) {
      this.tensors.set(p.name, p.init.slice())
      this.tensors.set(TRAIN_IO.m(p.name), new Float32Array(p.init.length))
      this.tensors.set(TRAIN_IO.v(p.name), new Float32Array(p.init.length))
    }
    this.entries = params.flatMap((p) => stateKeys(p.name).map((key) => ({ key, dims: p.shape })))
    this.outputNames = this.entries.map((e) => TRAIN_IO.next(e.key))
  }

  /** Feeds for step t (1-based) at learning rate lr: every state tensor plus the Adam scalars. */
  feeds(t: number, lr: number): Feeds {
    const feeds: Feeds = {}
    for (const e of this.entries) feeds[e.key] = { data: this.tensors.get(e.key)!, dims: e.dims }
    for (const [k, v] of Object.entries(adamScalars(t, lr, this.adam))) feeds[k] = scalarFeed(v)
    return feeds
  }

  /** Takes the step's `next/…` outputs as the new state. */
  advance(out: Readonly<Record<string, Float32Array>>): void {
    for (const e of this.entries) this.tensors.set(e.key, out[TRAIN_IO.next(e.key)]!)
  }

  /** Current weights by parameter name. */
  weights(): Map<string, Float32Array> {
    return new Map(this.params.map((p) => [p.name, this.tensors.get(p.name)!]))
  }

  /** The current weights as feeds for a graph with weights as inputs (default: all parameters). */
  weightFeeds(params: readonly ParamInfo[] = this.params): Feeds {
    return Object.fromEntries(params.map((p) => [p.name, { data: this.tensors.get(p.name)!, dims: p.shape }]))
  }
}
