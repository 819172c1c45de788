/** Training configuration, its defaults and the schedules derived from it. */
import type { GradOptions } from '../graph/ops/index.js'
import type { CvaeSpec } from '../model/spec.js'
import { LatentypeError } from '../errors.js'
import type { AdamOptions } from './adam.js'
import type { Binarize } from './data.js'
import { scheduledLr, type LrSchedule } from './step-state.js'

export interface TrainConfig {
  spec: CvaeSpec
  /** Seeds weights, shuffling, noise and binarisation; same seed and config → bit-identical run. */
  seed: number
  batchSize: number
  /** Length of the run: epochs over the training set, or a step budget (steps wins when both are set). */
  epochs?: number
  steps?: number
  /** Peak learning rate. */
  lr: number
  /** `cosine` decays to lr·minLrFactor after a linear warm-up; `constant` only warms up. */
  lrSchedule?: 'cosine' | 'constant'
  warmupSteps?: number
  minLrFactor?: number
  /** KL weight β (1 = the ELBO) and its linear warm-up from 0 over klWarmupSteps. */
  beta?: number
  klWarmupSteps?: number
  /** Free bits in nats per latent dimension (0 = off). */
  freeBits?: number
  adam?: AdamOptions
  binarize?: Binarize
  /** Validation ELBO every this many steps (default: every epoch). */
  validateEvery?: number
  /** Checkpoint every this many steps (default: every epoch). */
  checkpointEvery?: number
  /** A metrics line every this many steps (default 50). */
  logEvery?: number
  /**
   * Share of each batch trained as style pairs (0 = off, the plain ELBO): the decoder draws another class of the
   * same style group from the encoder's z. Needs `groups` in the data. Keeps z free of class identity, so the
   * class input decides what is drawn and z how.
   */
  stylePairs?: number
  /**
   * Extra weight of the reconstruction term on each target's thin parts (sdk/image/thin-parts.ts: middles of
   * strokes and parts at most ~4 px across; 0 = off, the plain likelihood): those pixels count 1 + this. Biases
   * the decoder toward keeping hairlines, serifs and dots that a soft output breaks or drops. The training loss
   * and `rec` metrics are then weighted; the validation ELBO is not.
   */
  topologyWeight?: number
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number
  grad?: GradOptions
}

export const TRAIN_DEFAULTS = { lrSchedule: 'cosine', warmupSteps: 0, minLrFactor: 0.05, beta: 1, klWarmupSteps: 0, freeBits: 0, binarize: 'dynamic', logEvery: 50 } as const

export function stepsPerEpoch(c: TrainConfig, trainCount: number): number {
  const n = Math.floor(trainCount / c.batchSize)
  if (n < 1) throw new LatentypeError('BAD_ARGUMENT', `batch size ${c.batchSize} is larger than the training set (${trainCount} images) — lower --batch`)
  return n
}

export function totalSteps(c: TrainConfig, trainCount: number): number {
  if (c.steps !== undefined) return c.steps
  if (c.epochs !== undefined) return c.epochs * stepsPerEpoch(c, trainCount)
  throw new LatentypeError('BAD_ARGUMENT', 'say how long to train: --epochs N or --steps N')
}

/** Learning rate for step t (1-based) of `total`: the config's {@link LrSchedule}. */
export function learningRate(c: TrainConfig, t: number, total: number): number {
  return scheduledLr({ peak: c.lr, total, warmupSteps: c.warmupSteps ?? TRAIN_DEFAULTS.warmupSteps, shape: c.lrSchedule ?? TRAIN_DEFAULTS.lrSchedule, minFactor: c.minLrFactor ?? TRAIN_DEFAULTS.minLrFactor }, t)
}

/** KL weight at step t. */
export function klWeight(c: TrainConfig, t: number): number {
  const beta = c.beta ?? TRAIN_DEFAULTS.beta
  const w = c.klWarmupSteps ?? TRAIN_DEFAULTS.klWarmupSteps
  return w > 0 ? beta * Math.min(1, t / w) : beta
}

/** The parts of a config that must not change when resuming (else the run is another run). */
export function identityOf(c: TrainConfig): string {
  return JSON.stringify({ spec: c.spec, seed: c.seed, batchSize: c.batchSize, binarize: c.binarize ?? TRAIN_DEFAULTS.binarize, freeBits: c.freeBits ?? 0, adam: c.adam ?? {}, ...(c.stylePairs ? { stylePairs: c.stylePairs } : {}), ...(c.topologyWeight ? { topologyWeight: c.topologyWeight } : {}) })
}
