/**
 * The training loop. The step graph (forward, loss, backward, Adam) is built once from the spec and opened once;
 * weights and optimizer state live here as Float32Arrays and go in and out of every step. All randomness is
 * derived from (seed, purpose, step), so a run resumed from a checkpoint is bit-identical to an uninterrupted one.
 *
 * @example
 * ```ts
 * const trainer = await Trainer.create({ spec, seed: 1, batchSize: 128, epochs: 10, lr: 1e-3 }, { train, val }, { outDir: 'runs/mnist' })
 * const summary = await trainer.run({ onProgress: (p) => console.log(p.step, p.loss) })
 * writeFileSync('runs/mnist/model.onnx', trainer.exportModel({ name: 'mnist', kind: 'other', attribution: [] }))
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LatentypeError } from '../errors.js'
import { heInit, fromWeights, type Init } from '../graph/layers.js'
import type { CvaeSpec } from '../model/spec.js'
import { sameSpec, widenedInit } from './widen.js'
import type { ClassInfo } from '../model/card.js'
import { latentParts } from '../model/spec.js'
import { buildModelFile, type CardInput } from '../model/file.js'
import { Rng } from '../random.js'
import { identityOf, klWeight, learningRate, stepsPerEpoch, totalSteps, TRAIN_DEFAULTS, type TrainConfig } from './config.js'
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js'
import { derivedSeed, epochOrder, fillBatch, fillFieldBatch, fillGridMask, fillPixelWeights, groupMembers, pairTargets, type ImageSet } from './data.js'
import { isFieldModel } from '../model/likelihood.js'
import { evaluateElbo, type ElboResult } from './evaluate.js'
import { buildDecodeGraph, buildEvalGraph, buildStepGraph, TRAIN_IO, type ParamInfo } from './graphs.js'
import { RunFiles, type MetricsLine } from './run-files.js'
import { GraphRunner, scalarFeed, type Feeds } from './session.js'
import { StepState } from './step-state.js'

export interface TrainData {
  train: ImageSet
  val?: ImageSet
}

export interface Progress {
  step: number
  totalSteps: number
  epoch: number
  loss: number
  rec: number
  kl: number
  lr: number
  stepsPerSec: number
  imagesPerSec: number
  etaSec: number
}

export interface TrainSummary {
  steps: number
  seconds: number
  final: { loss: number; rec: number; kl: number }
  val?: ElboResult
  history: MetricsLine[]
}

export interface TrainerOptions {
  /** Run folder for checkpoints, metrics, sample sheets, plots (none written without it). */
  outDir?: string
  /** Continue from outDir/checkpoint.ltck. */
  resume?: boolean
  /**
   * Start from these weights (by name, e.g. a model file's: `readModelWeights`) instead of random ones: fine-tuning
   * a shipped model for more epochs. Every weight of the spec must be there; Adam's moments start at zero.
   */
  initWeights?: ReadonlyMap<string, Float32Array>
  /** The spec `initWeights` were trained with, when it differs from the run's: its decoder maps are widened (sdk/train/widen.ts). */
  initSpec?: CvaeSpec
}

export class Trainer {
  /** Optimizer steps completed. */
  step = 0
  private readonly state: StepState
  private history: MetricsLine[] = []
  private readonly files?: RunFiles
  private evalRunner?: GraphRunner
  private decodeRunner?: GraphRunner

  private constructor(readonly config: TrainConfig, readonly data: TrainData, private readonly runner: GraphRunner, params: ParamInfo[], outDir?: string) {
    this.state = new StepState(params, config.adam)
    if (outDir) this.files = new RunFiles(outDir)
  }

  /** Builds the step graph and opens it; with `resume`, loads the run folder's checkpoint. */
  static async create(config: TrainConfig, data: TrainData, o: TrainerOptions = {}): Promise<Trainer> {
    const spec = config.spec
    if (data.train.size !== spec.imageSize) throw new LatentypeError('BAD_DATASET', `training images are ${data.train.size}px but the spec wants ${spec.imageSize}px — fit them with fitSize()`)
    if (data.train.classes.length !== spec.numClasses) throw new LatentypeError('BAD_DATASET', `the data has ${data.train.classes.length} classes, the spec ${spec.numClasses}`)
    stepsPerEpoch(config, data.train.count)
    if (config.topologyWeight !== undefined && !(Number.isFinite(config.topologyWeight) && config.topologyWeight >= 0)) throw new LatentypeError('BAD_ARGUMENT', `topologyWeight (--topology-weight) must be a finite number, 0 or more (got ${config.topologyWeight}) — use 0 (off) or e.g. 8 (the shipped glyph model)`)
    if (config.topologyWeight && spec.channels !== 1) throw new LatentypeError('BAD_ARGUMENT', `topologyWeight (--topology-weight) needs 1-channel images (the spec has ${spec.channels}) — drop it`)
    if (config.stylePairs && !data.train.groups) throw new LatentypeError('BAD_DATASET', 'stylePairs needs style groups in the training data (a .ltds dataset has them; MNIST does not) — drop --style-pairs')
    const w = o.initWeights
    const init: Init = w && o.initSpec && !sameSpec(o.initSpec, spec)
      ? widenedInit(o.initSpec, w, spec, heInit(config.seed))
      : w
      ? (name, shape) => {
          const v = w.get(name)
          const n = shape.reduce((a, b) => a * b, 1)
          if (!v || v.length !== n) throw new LatentypeError('BAD_ARGUMENT', `the initial weights have ${v ? `${v.length} values` : 'nothing'} for "${name}" (needs ${n}) — start from a model of the same spec`)
          return v.slice()
        }
      : heInit(config.seed)
    const built = buildStepGraph(spec, init, { batchSize: config.batchSize, pairs: !!config.stylePairs, pixelWeights: !!config.topologyWeight, loss: { freeBits: config.freeBits }, adam: config.adam, grad: config.grad })
    const runner = await GraphRunner.open(built.model, { threads: config.threads })
    const t = new Trainer(config, data, runner, built.params, o.outDir)
    if (o.resume) t.resumeFrom(o.outDir)
    else t.files?.start(config)
    return t
  }

  private resumeFrom(outDir: string | undefined): void {
    if (!outDir) throw new LatentypeError('BAD_ARGUMENT', 'resume needs the run folder (--out) that holds checkpoint.ltck')
    const ck = loadCheckpoint(join(outDir, 'checkpoint.ltck'))
    if (ck.meta.identity !== identityOf(this.config)) {
      throw new LatentypeError('BAD_ARGUMENT', `the checkpoint in ${outDir} was made with another spec, seed, batch size or loss (binarisation, free bits, optimizer, style pairs, topology weight) — resume with the same options or use a new --out`)
    }
    for (const [k, v] of ck.tensors) {
      if (this.state.tensors.get(k)?.length !== v.length) throw new LatentypeError('BAD_ARGUMENT', `checkpoint tensor "${k}" does not fit this model — use a new --out`)
      this.state.tensors.set(k, v)
    }
    this.step = ck.step
    this.history = this.files!.readHistory(ck.step)
  }

  /** Current weights by name (the names buildModelFile and fromWeights use). */
  weights(): Map<string, Float32Array> {
    return this.state.weights()
  }

  /** Trains to the configured length (or `stopAfter` steps, as if killed there). */
  async run(o: { onProgress?: (p: Progress) => void; stopAfter?: number } = {}): Promise<TrainSummary> {
    const c = this.config
    const spec = c.spec
    const B = c.batchSize
    const S = spec.imageSize
    const K = spec.numClasses
    const perEpoch = stepsPerEpoch(c, this.data.train.count)
    const total = totalSteps(c, this.data.train.count)
    const end = Math.min(total, o.stopAfter ?? total)
    const logEvery = c.logEvery ?? TRAIN_DEFAULTS.logEvery
    const binarize = c.binarize ?? TRAIN_DEFAULTS.binarize
    const batch = { x: new Float32Array(B * S * S), onehot: new Float32Array(B * K) }
    const parts = latentParts(spec)
    // style pairs and distance fields both feed the decoder its own target (x_target, class_target, z_mask)
    const field = isFieldModel(spec)
    const pairs = c.stylePairs || field ? { share: c.stylePairs ?? 0, members: groupMembers(this.data.train), batch: { x: new Float32Array(B * S * S), onehot: new Float32Array(B * K) }, zMask: parts.grid ? new Float32Array(B * spec.latentSize) : undefined } : undefined
    const pixelWeight = c.topologyWeight ? new Float32Array(B * spec.channels * S * S) : undefined
    const started = performance.now()
    const startStep = this.step
    let rate = { t: started, step: this.step, sps: 0 }
    let last = { loss: NaN, rec: NaN, kl: NaN }
    let order = epochOrder(this.data.train.count, c.seed, Math.floor(this.step / perEpoch))
    while (this.step < end) {
      const t = this.step + 1
      const epoch = Math.floor(this.step / perEpoch)
      const pos = this.step % perEpoch
      if (pos === 0) order = epochOrder(this.data.train.count, c.seed, epoch)
      const items = order.subarray(pos * B, (pos + 1) * B)
      fillBatch(this.data.train, items, binarize, new Rng(derivedSeed(c.seed, 'binarize', t)), batch)
      // the items the decoder draws: the batch's own, or their style-pair partners
      let drawn: ArrayLike<number> = items
      if (pairs) {
        // same binarisation stream, so an item paired with itself gets exactly its own target
        const targets = pairTargets(this.data.train, items, pairs.share, new Rng(derivedSeed(c.seed, 'pairs', t)), pairs.members)
        drawn = targets
        if (field) fillFieldBatch(this.data.train, targets, pairs.batch)
        else fillBatch(this.data.train, targets, binarize, new Rng(derivedSeed(c.seed, 'binarize', t)), pairs.batch)
        if (pairs.zMask) fillGridMask(pairs.zMask, items, targets, parts.global, spec.latentSize)
      }
      if (pixelWeight) fillPixelWeights(this.data.train, drawn, c.topologyWeight!, pixelWeight)
      const lr = learningRate(c, t, total)
      const feeds: Feeds = {
        ...this.state.feeds(t, lr),
        [TRAIN_IO.x]: { data: batch.x, dims: [B, spec.channels, S, S] },
        [TRAIN_IO.class]: { data: batch.onehot, dims: [B, K] },
        ...(pairs ? { [TRAIN_IO.xTarget]: { data: pairs.batch.x, dims: [B, spec.channels, S, S] }, [TRAIN_IO.classTarget]: { data: pairs.batch.onehot, dims: [B, K] } } : {}),
        ...(pairs?.zMask ? { [TRAIN_IO.zMask]: { data: pairs.zMask, dims: [B, spec.latentSize] } } : {}),
        ...(pixelWeight ? { [TRAIN_IO.pixelWeight]: { data: pixelWeight, dims: [B, spec.channels, S, S] } } : {}),
        [TRAIN_IO.eps]: { data: new Rng(derivedSeed(c.seed, 'eps', t)).normals(B * spec.latentSize), dims: [B, spec.latentSize] },
        [TRAIN_IO.beta]: scalarFeed(klWeight(c, t)),
      }
      const outNames = [TRAIN_IO.loss, TRAIN_IO.rec, TRAIN_IO.kl, TRAIN_IO.gradNorm, ...this.state.outputNames]
      const out = await this.runner.run(feeds, outNames)
      const loss = out[TRAIN_IO.loss]![0]!
      if (!Number.isFinite(loss) || !Number.isFinite(out[TRAIN_IO.gradNorm]![0]!)) {
        const ck = this.files ? ` The last good checkpoint is intact: ${this.files.checkpointPath} (resume with --resume).` : ''
        this.files?.appendEvent({ step: t, event: 'diverged', loss })
        throw new LatentypeError('TRAINING_DIVERGED', `training diverged at step ${t} (epoch ${epoch + 1}): the loss became ${loss}.${ck} Lower the learning rate (now ${lr.toPrecision(3)}), set clipNorm (--clip-norm 100), or raise klWarmupSteps.`)
      }
      this.state.advance(out)
      this.step = t
      last = { loss, rec: out[TRAIN_IO.rec]![0]!, kl: out[TRAIN_IO.kl]![0]! }
      const now = performance.now()
      if (now - rate.t > 2000 || rate.sps === 0) rate = { t: now, step: t, sps: (t - rate.step) / Math.max(1e-3, (now - rate.t) / 1000) }
      const sps = rate.sps || (t - startStep) / Math.max(1e-3, (now - started) / 1000)
      o.onProgress?.({ step: t, totalSteps: total, epoch: epoch + 1, ...last, lr, stepsPerSec: sps, imagesPerSec: sps * B, etaSec: (total - t) / Math.max(sps, 1e-9) })
      const epochEnd = t % perEpoch === 0
      const line: MetricsLine = { step: t, epoch: epoch + 1, ...last, gradNorm: out[TRAIN_IO.gradNorm]![0]!, lr, beta: klWeight(c, t) }
      const validate = this.data.val && (c.validateEvery ? t % c.validateEvery === 0 : epochEnd)
      if (validate || t === total) {
        if (this.data.val) Object.assign(line, prefixed('val', await this.validate()))
      }
      if (t % logEvery === 0 || validate || epochEnd || t === total) {
        this.history.push(line)
        this.files?.writeMetrics(this.history)
      }
      if (this.files && (epochEnd || t === total)) this.files.writeSheet(epoch + 1, await this.sampleSheet())
      if (this.files && (c.checkpointEvery ? t % c.checkpointEvery === 0 : epochEnd) || t === total) this.checkpoint()
    }
    const val = this.history.at(-1)?.['val.nelbo'] !== undefined ? { nelbo: this.history.at(-1)!['val.nelbo']!, rec: this.history.at(-1)!['val.rec']!, kl: this.history.at(-1)!['val.kl']!, count: this.data.val!.count } : undefined
    return { steps: this.step, seconds: (performance.now() - started) / 1000, final: last, val, history: this.history }
  }

  /** Writes outDir/checkpoint.ltck atomically (no-op without an outDir). */
  checkpoint(): void {
    if (!this.files) return
    saveCheckpoint(this.files.checkpointPath, { step: this.step, meta: { identity: identityOf(this.config), config: this.config }, tensors: this.state.tensors })
  }

  private async openEval(): Promise<GraphRunner> {
    return (this.evalRunner ??= await GraphRunner.open(buildEvalGraph(this.config.spec).model, { threads: this.config.threads }))
  }

  /** ELBO on a set (default: the validation set), with seeded binarisation and noise. */
  async validate(set: ImageSet | undefined = this.data.val): Promise<ElboResult> {
    if (!set) throw new LatentypeError('BAD_ARGUMENT', 'no validation data')
    const runner = await this.openEval()
    return evaluateElbo({ runner, weights: this.state.weightFeeds(), imageSize: this.config.spec.imageSize, latentSize: this.config.spec.latentSize, field: isFieldModel(this.config.spec) }, set, { binarize: this.config.binarize ?? TRAIN_DEFAULTS.binarize, seed: this.config.seed })
  }

  /** Decodes fixed latents (same z per column) for up to 16 classes: rows of coverage bitmaps. */
  async sampleRows(columns = 8): Promise<{ labels: string[]; rows: Float32Array[][] }> {
    const spec = this.config.spec
    const built = buildDecodeGraph(spec)
    this.decodeRunner ??= await GraphRunner.open(built.model, { threads: this.config.threads })
    const classes = Math.min(16, spec.numClasses)
    const n = classes * columns
    const zCols = new Rng(derivedSeed(this.config.seed, 'sheet', 0)).normals(columns * spec.latentSize)
    const z = new Float32Array(n * spec.latentSize)
    const onehot = new Float32Array(n * spec.numClasses)
    for (let r = 0; r < classes; r++) {
      for (let col = 0; col < columns; col++) {
        z.set(zCols.subarray(col * spec.latentSize, (col + 1) * spec.latentSize), (r * columns + col) * spec.latentSize)
        onehot[(r * columns + col) * spec.numClasses + r] = 1
      }
    }
    const w = this.state.weightFeeds(built.params)
    const out = await this.decodeRunner.run({ ...w, [TRAIN_IO.z]: { data: z, dims: [n, spec.latentSize] }, [TRAIN_IO.class]: { data: onehot, dims: [n, spec.numClasses] } }, [TRAIN_IO.image])
    const px = spec.imageSize * spec.imageSize
    const img = out[TRAIN_IO.image]!
    const rows = Array.from({ length: classes }, (_, r) => Array.from({ length: columns }, (_, col) => img.slice((r * columns + col) * px, (r * columns + col + 1) * px)))
    return { labels: this.data.train.classes.slice(0, classes), rows }
  }

  private async sampleSheet(): Promise<{ labels: string[]; rows: Float32Array[][]; size: number }> {
    return { ...(await this.sampleRows()), size: this.config.spec.imageSize }
  }

  /** The model file (encoder + decoder + card) with the current weights. */
  exportModel(card: Omit<CardInput, 'spec' | 'classes' | 'metrics'> & { classes?: ClassInfo[]; metrics?: CardInput['metrics'] }): Uint8Array {
    const last = this.history.at(-1)
    const metrics: CardInput['metrics'] = { steps: this.step, ...(last?.['val.nelbo'] !== undefined ? { val_nelbo: last['val.nelbo'] } : {}), ...(last ? { train_loss: last.loss } : {}), ...card.metrics }
    const classes = card.classes ?? this.data.train.classes.map((label, id) => ({ id, label, synonyms: [] }))
    return buildModelFile({ ...card, spec: this.config.spec, classes, metrics, training: { steps: this.step, ...card.training } }, fromWeights(this.weights()))
  }

  async close(): Promise<void> {
    await Promise.all([this.runner.release(), this.evalRunner?.release(), this.decodeRunner?.release()])
  }

  /** The run folder's previous metrics (for tools that read a run without training). */
  static readMetrics(outDir: string): MetricsLine[] {
    const p = join(outDir, 'metrics.jsonl')
    return existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as MetricsLine) : []
  }
}

function prefixed(prefix: string, r: ElboResult): Record<string, number> {
  return { [`${prefix}.nelbo`]: r.nelbo, [`${prefix}.rec`]: r.rec, [`${prefix}.kl`]: r.kl }
}
