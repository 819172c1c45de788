/**
 * The independent evaluation classifier: trained with our engine on the real training split (random ±shift
 * pixel translations as augmentation), judged on the real test split, and cached as a standalone ONNX file keyed by
 * the dataset's SHA-256 so reruns of `npm run eval` skip training.
 *
 * @example
 * ```ts
 * const { classifier, meta } = await loadOrTrainClassifier('data/glyphs/classifier.onnx', sha, train, test)
 * const ids = await classifier.predict(images, n) // coverage images, n·S·S floats
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'
import { LatentypeError } from '../errors.js'
import { fromWeights, heInit } from '../graph/layers.js'
import { writeFileAtomic } from '../node/atomic.js'
import { DataType, decodeModel } from '../onnx/model-proto.js'
import { Rng } from '../random.js'
import { derivedSeed, epochOrder, type ImageSet } from '../train/data.js'
import { GraphRunner, type Feeds } from '../train/session.js'
import { scheduledLr, StepState } from '../train/step-state.js'
import { buildClassifierModel, buildClassifierStep, CLF_IO, defaultClassifierSpec, type ClassifierSpec } from './classifier-graph.js'

export const CLASSIFIER_KEY = 'latentype.classifier'

export interface ClassifierMeta {
  format: 'latentype-classifier'
  /** SHA-256 of the dataset file it was trained on ('' when not from a file). */
  datasetSha256: string
  spec: ClassifierSpec
  classes: string[]
  /** Accuracy on the real test split: the ceiling for class consistency. */
  testAccuracy: number
  testCount: number
  steps: number
  seconds: number
  seed: number
}

export interface TrainClassifierOptions {
  seed?: number
  epochs?: number
  batchSize?: number
  lr?: number
  /** Largest random translation in pixels (0 = no augmentation). */
  shift?: number
  threads?: number
  spec?: ClassifierSpec
  onProgress?: (step: number, total: number, loss: number) => void
}

const DEFAULTS = { seed: 1, epochs: 6, batchSize: 64, lr: 2e-3, shift: 2 }

/** A trained classifier opened for inference. */
export class Classifier {
  private constructor(private readonly runner: GraphRunner, readonly meta: ClassifierMeta) {}

  /**
   * Opens a classifier file. Files written before the features output existed (cached classifiers) are rebuilt in
   * memory from their own weights with it, so they stay valid caches.
   */
  static async fromBytes(bytes: Uint8Array, o: { threads?: number } = {}): Promise<Classifier> {
    const model = decodeModel(bytes)
    const raw = model.metadata[CLASSIFIER_KEY]
    if (!raw) throw new LatentypeError('BAD_ARGUMENT', `not a latentype classifier (no "${CLASSIFIER_KEY}" metadata) — delete the file and rerun npm run eval to retrain it`)
    const meta = JSON.parse(raw) as ClassifierMeta
    let withFeatures = bytes
    if (!model.graph.outputs.some((v) => v.name === CLF_IO.features)) {
      const weights = new Map(model.graph.initializers.filter((t) => t.dataType === DataType.FLOAT && t.rawData).map((t) => [t.name, new Float32Array(t.rawData!.slice().buffer)]))
      withFeatures = buildClassifierModel(meta.spec, fromWeights(weights), { [CLASSIFIER_KEY]: raw }, { features: true })
    }
    return new Classifier(await GraphRunner.open(withFeatures, { threads: o.threads }), meta)
  }

  /** Runs `n` coverage images (n·S·S floats in 0..1) in chunks; returns the named outputs, concatenated. */
  private async outputs(images: Float32Array, n: number, name: string, width: number): Promise<Float32Array> {
    const S = this.meta.spec.imageSize
    const out = new Float32Array(n * width)
    for (let s = 0; s < n; s += 256) {
      const m = Math.min(256, n - s)
      const r = await this.runner.run({ [CLF_IO.image]: { data: images.subarray(s * S * S, (s + m) * S * S), dims: [m, 1, S, S] } }, [name])
      out.set(r[name]!, s * width)
    }
    return out
  }

  /** Predicted class ids for `n` coverage images (n·S·S floats in 0..1). */
  async predict(images: Float32Array, n: number): Promise<Int32Array> {
    const K = this.meta.spec.numClasses
    const logits = await this.outputs(images, n, CLF_IO.logits, K)
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      let best = 0
      for (let k = 1; k < K; k++) if (logits[i * K + k]! > logits[i * K + best]!) best = k
      out[i] = best
    }
    return out
  }

  /** Softmax class probabilities, n·K floats (row i: image i). */
  async probabilities(images: Float32Array, n: number): Promise<Float32Array> {
    const K = this.meta.spec.numClasses
    const p = await this.outputs(images, n, CLF_IO.logits, K)
    for (let i = 0; i < n; i++) {
      const row = p.subarray(i * K, (i + 1) * K)
      let max = -Infinity
      for (const v of row) max = Math.max(max, v)
      let sum = 0
      for (let k = 0; k < K; k++) sum += row[k] = Math.exp(row[k]! - max)
      for (let k = 0; k < K; k++) row[k]! /= sum
    }
    return p
  }

  /**
   * Penultimate features (the hidden layer after its activation), n·hidden floats: the space in which
   * precision and recall of samples are measured (see precision-recall.ts).
   */
  async features(images: Float32Array, n: number): Promise<Float32Array> {
    return this.outputs(images, n, CLF_IO.features, this.meta.spec.hidden)
  }

  /** Share of a labelled set classified correctly. */
  async accuracy(set: ImageSet): Promise<number> {
    const pred = await this.predict(toCoverage(set), set.count)
    let ok = 0
    for (let i = 0; i < set.count; i++) if (pred[i] === set.labels[i]) ok++
    return ok / Math.max(1, set.count)
  }

  async release(): Promise<void> {
    await this.runner.release()
  }
}

/** uint8 images → coverage floats. */
export function toCoverage(set: ImageSet): Float32Array {
  const out = new Float32Array(set.pixels.length)
  for (let i = 0; i < out.length; i++) out[i] = set.pixels[i]! / 255
  return out
}

/** Trains on `train`, measures on `test`; returns the classifier model bytes (with its {@link ClassifierMeta}). */
export async function trainClassifier(train: ImageSet, test: ImageSet, datasetSha256: string, options: TrainClassifierOptions = {}): Promise<Uint8Array> {
  const o = { ...DEFAULTS, ...options }
  const spec = o.spec ?? defaultClassifierSpec(train.size, train.classes.length)
  const B = Math.min(o.batchSize, train.count)
  const S = spec.imageSize
  const K = spec.numClasses
  const built = buildClassifierStep(spec, heInit(o.seed, 0.1), B, { weightDecay: 1e-4 })
  const runner = await GraphRunner.open(built.model, { threads: o.threads })
  const state = new StepState(built.params, { weightDecay: 1e-4 })
  const perEpoch = Math.floor(train.count / B)
  const total = perEpoch * o.epochs
  const warm = Math.min(100, Math.floor(total / 10))
  const x = new Float32Array(B * S * S)
  const y = new Float32Array(B * K)
  const outNames = [CLF_IO.loss, ...state.outputNames]
  const started = performance.now()
  let order = epochOrder(train.count, o.seed, 0)
  for (let t = 1; t <= total; t++) {
    const pos = (t - 1) % perEpoch
    if (pos === 0) order = epochOrder(train.count, o.seed, Math.floor((t - 1) / perEpoch))
    fillShifted(train, order.subarray(pos * B, (pos + 1) * B), o.shift, new Rng(derivedSeed(o.seed, 'clf-shift', t)), x, y)
    const lr = scheduledLr({ peak: o.lr, total, warmupSteps: warm, minFactor: 0.05 }, t)
    const feeds: Feeds = { [CLF_IO.image]: { data: x, dims: [B, 1, S, S] }, [CLF_IO.label]: { data: y, dims: [B, K] }, ...state.feeds(t, lr) }
    const out = await runner.run(feeds, outNames)
    const loss = out[CLF_IO.loss]![0]!
    if (!Number.isFinite(loss)) throw new LatentypeError('TRAINING_DIVERGED', `classifier training diverged at step ${t} — lower the classifier learning rate (now ${o.lr})`)
    state.advance(out)
    o.onProgress?.(t, total, loss)
  }
  await runner.release()
  const seconds = (performance.now() - started) / 1000
  const weights = state.weights()
  const meta: ClassifierMeta = { format: 'latentype-classifier', datasetSha256, spec, classes: train.classes, testAccuracy: NaN, testCount: test.count, steps: total, seconds, seed: o.seed }
  // measure on the real test split, then store the accuracy inside the file
  const probe = await Classifier.fromBytes(buildClassifierModel(spec, fromWeights(weights), { [CLASSIFIER_KEY]: JSON.stringify(meta) }), { threads: o.threads })
  meta.testAccuracy = await probe.accuracy(test)
  await probe.release()
  return buildClassifierModel(spec, fromWeights(weights), { [CLASSIFIER_KEY]: JSON.stringify(meta) }, { features: true })
}

/**
 * Opens the cached classifier at `path` when it was trained on the same dataset (SHA-256) and classes; otherwise
 * trains one and writes it there atomically.
 */
export async function loadOrTrainClassifier(path: string, datasetSha256: string, train: ImageSet, test: ImageSet, o: TrainClassifierOptions = {}): Promise<{ classifier: Classifier; cached: boolean }> {
  if (existsSync(path)) {
    const c = await Classifier.fromBytes(new Uint8Array(readFileSync(path)), { threads: o.threads })
    if (c.meta.datasetSha256 === datasetSha256 && c.meta.classes.join('\n') === train.classes.join('\n')) return { classifier: c, cached: true }
    await c.release()
  }
  const bytes = await trainClassifier(train, test, datasetSha256, o)
  writeFileAtomic(path, bytes)
  return { classifier: await Classifier.fromBytes(bytes, { threads: o.threads }), cached: false }
}

/** Coverage batch with a random translation of up to ±shift pixels per image (paper fills in), one-hot labels. */
function fillShifted(set: ImageSet, idx: Int32Array, shift: number, rng: Rng, x: Float32Array, y: Float32Array): void {
  const S = set.size
  const K = set.classes.length
  x.fill(0)
  y.fill(0)
  for (let i = 0; i < idx.length; i++) {
    const item = idx[i]!
    const dx = shift ? rng.int(2 * shift + 1) - shift : 0
    const dy = shift ? rng.int(2 * shift + 1) - shift : 0
    for (let r = Math.max(0, -dy); r < Math.min(S, S - dy); r++) {
      const src = item * S * S + r * S
      const dst = i * S * S + (r + dy) * S + dx
      for (let c = Math.max(0, -dx); c < Math.min(S, S - dx); c++) x[dst + c] = set.pixels[src + c]! / 255
    }
    y[i * K + set.labels[item]!] = 1
  }
}
