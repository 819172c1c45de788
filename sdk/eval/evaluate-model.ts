/**
 * The whole evaluation of a model file against its dataset: classifier ceiling, class consistency of
 * prior samples, test ELBO, diversity and novelty, style transfer (glyphs), per-dimension KL and active units,
 * semantic directions with their sweep; and what a designer sees (crispness, traced vectors, precision /
 * recall, reconstruction fidelity against true outlines). Each step reports progress through `log`.
 */
import { splitIndices, tagsOf } from '../data/access.js'
import { sha256Hex } from '../data/node.js'
import type { Dataset } from '../data/types.js'
import { LatentypeError } from '../errors.js'
import { Rng } from '../random.js'
import { subset, type ImageSet } from '../train/data.js'
import { evaluateElbo, type ElboResult } from '../train/evaluate.js'
import { buildEvalGraph } from '../train/graphs.js'
import { readModelWeights } from '../train/model-weights.js'
import { GraphRunner, type Feeds } from '../train/session.js'
import { loadOrTrainClassifier, toCoverage, type Classifier, type TrainClassifierOptions } from './classifier.js'
import { EvalGenerator } from './eval-generator.js'
import { designerMeasures, type DesignerReport } from './designer.js'
import { cleanerDraw } from '../image/softness.js'
import { reconstructionFidelity, type FidelityResult, type OutlineOf } from './fidelity.js'
import { fitDirection, GLYPH_DIRECTIONS, ICON_DIRECTIONS, type FittedDirection } from './directions.js'
import { sweepDirection, type SweepResult } from './direction-sweep.js'
import { meanPairwiseDistance, novelty, type NoveltyResult } from './diversity.js'
import { latentStats, type LatentStats } from './latent.js'
import { maskIou } from './masks.js'
import { styleTransfer, type TransferResult } from './transfer.js'
import { isFieldModel } from '../model/likelihood.js'

export interface EvalOptions {
  /** Prior samples per class for consistency, diversity and novelty (default 100). */
  perClass?: number
  seed?: number
  threads?: number
  /** Where the classifier is cached (trained there when missing or stale). */
  classifierPath: string
  classifier?: TrainClassifierOptions
  /** Glyph classes whose held-out glyph is encoded for style transfer. */
  transferSources?: string[]
  /**
   * True outlines of dataset items for reconstruction fidelity (scripts/eval/true-outline.ts), or why there are
   * none; without it the measure is skipped.
   */
  outlines?: (items: number[]) => Promise<{ outlineOf: OutlineOf } | { missing: string }>
  /** Test-split items scored for fidelity: a seeded subsample of this many (default: the whole test split). */
  fidelityItems?: number
  /** Prior samples per class traced for the vector measures (default 32). */
  tracePerClass?: number
  log?: (msg: string) => void
}

export interface EvalReport {
  /** What was measured for: the dataset's kind. */
  kind: string
  datasetSha256: string
  classifier: { testAccuracy: number; testCount: number; cached: boolean }
  consistency: { accuracy: number; relative: number; perClass: number; worst: { label: string; accuracy: number }[] }
  /** Classifier accuracy on reconstructions (posterior mean, decoded) of the real test split: a sanity check. */
  reconstruction: { accuracy: number; iou: number }
  elbo: ElboResult & { binarize: 'dynamic' }
  diversity: { generated: number; real: number; ratio: number }
  novelty: NoveltyResult
  /** The same measure on the real test images: how often a held-out drawing is itself that close to a training one. */
  noveltyReal: NoveltyResult
  transfer?: TransferResult
  latent: LatentStats & { count: number }
  directions: FittedDirection[]
  weightSweep?: SweepResult
  designer: DesignerReport
  /** The same measures on what the plugin's grid shows: per variant the cleaner of two prior draws (fewer specks, then crisper). */
  grid: { consistency: EvalReport['consistency']; designer: DesignerReport }
  /** Reconstruction fidelity against true outlines, or why it was skipped. */
  fidelity: FidelityResult | { skipped: string }
  /** The first reconstructions with a topology error (at most 32): their class, real raster and decode (S² coverage), traced parts/holes vs the true outline's. */
  topologyFailures: { label: string; real: Float32Array; recon: Float32Array; parts: [number, number]; holes: [number, number] }[]
}

const setOf = (ds: Dataset, split: 'train' | 'val' | 'test'): ImageSet => subset({ size: ds.size, count: ds.count, pixels: ds.images, labels: ds.classIds, classes: ds.classes.map((c) => c.label) }, splitIndices(ds, split))

export async function evaluateModel(modelBytes: Uint8Array, ds: Dataset, datasetBytes: Uint8Array, o: EvalOptions): Promise<EvalReport> {
  const log = o.log ?? (() => {})
  const runner = await EvalGenerator.open(modelBytes, { threads: o.threads })
  const card = runner.card
  if (ds.size !== card.imageSize || ds.classes.length !== card.classes.length) throw new LatentypeError('BAD_DATASET', `the dataset (${ds.classes.length} classes, ${ds.size}px) does not match the model (${card.classes.length} classes, ${card.imageSize}px) — pass the dataset the model was trained on`)
  const train = setOf(ds, 'train')
  const val = setOf(ds, 'val')
  const test = setOf(ds, 'test')
  const S = ds.size
  const px = S * S
  const K = card.classes.length
  const L = card.latentSize
  const seed = o.seed ?? 1
  const datasetSha256 = sha256Hex(datasetBytes)
  // what to measure follows the data (a glyph dataset gets style transfer and glyph style directions)
  const kind = ds.kind === 'glyphs' || ds.kind === 'icons' ? ds.kind : card.kind

  log('classifier (real train split → real test split)')
  const { classifier, cached } = await loadOrTrainClassifier(o.classifierPath, datasetSha256, train, test, { threads: o.threads, ...o.classifier, onProgress: (t, n, loss) => t % 50 === 0 && log(`  classifier step ${t}/${n} loss ${loss.toFixed(3)}`) })
  const ceiling = classifier.meta.testAccuracy

  log('prior samples: class consistency, diversity, novelty')
  const per = o.perClass ?? 100
  const n = K * per
  const z = runner.priorLatents(seed, per)
  const cls = Int32Array.from({ length: n }, (_, i) => Math.floor(i / per))
  const gen = await runner.decodeBatch(z, cls, n)
  const consistency = await classConsistency(classifier, gen, cls, K, per, card.classes.map((c) => c.label), ceiling)
  let divGen = 0
  let divReal = 0
  for (let c = 0; c < K; c++) {
    divGen += meanPairwiseDistance(gen.subarray(c * per * px, (c + 1) * per * px), per, px) / K
    const items = Array.from(train.labels.keys()).filter((i) => train.labels[i] === c).slice(0, per)
    divReal += meanPairwiseDistance(subset(train, items).pixels, items.length, px) / K
  }
  const nov = novelty(gen, cls, train.pixels, train.labels, px)
  const novReal = novelty(toCoverage(test), test.labels, train.pixels, train.labels, px)

  log('reconstructions of the test split')
  const testX = toCoverage(test)
  const testPost = await runner.encodeBatch(testX, test.labels, test.count)
  const recon = await runner.decodeBatch(testPost.mu, test.labels, test.count)
  const reconPred = await classifier.predict(recon, test.count)
  let reconOk = 0
  let reconIou = 0
  for (let i = 0; i < test.count; i++) {
    if (reconPred[i] === test.labels[i]) reconOk++
    reconIou += maskIou(recon.subarray(i * px, (i + 1) * px), testX.subarray(i * px, (i + 1) * px)) / test.count
  }
  const reconstruction = { accuracy: reconOk / test.count, iou: reconIou }

  log('what a designer sees: crispness, traced vectors, precision/recall, worst samples')
  const designer = await designerMeasures({ gen, per, test, classifier, tracePerClass: o.tracePerClass })

  // The plugin's grid shows, per variant, the cleaner of two draws (ui/worker/api.ts): the same measures on that.
  log("the plugin's grid: the cleaner of two draws per variant")
  const z2 = runner.priorLatents(seed, 2 * per)
  const cls2 = Int32Array.from({ length: 2 * n }, (_, i) => Math.floor(i / (2 * per)))
  const drawn = await runner.decodeBatch(z2, cls2, 2 * n)
  const picked = new Float32Array(n * px)
  for (let i = 0; i < n; i++) {
    const a = drawn.subarray(2 * i * px, (2 * i + 1) * px)
    const b = drawn.subarray((2 * i + 1) * px, (2 * i + 2) * px)
    picked.set(cleanerDraw({ width: S, height: S, data: a }, { width: S, height: S, data: b }) ? b : a, i * px)
  }
  const grid = {
    consistency: await classConsistency(classifier, picked, cls, K, per, card.classes.map((c) => c.label), ceiling),
    designer: await designerMeasures({ gen: picked, per, test, classifier, tracePerClass: o.tracePerClass }),
  }

  let fidelity: EvalReport['fidelity'] = { skipped: 'no true-outline source given (scripts/eval/true-outline.ts)' }
  const topologyFailures: EvalReport['topologyFailures'] = []
  if (o.outlines) {
    const testIdx = splitIndices(ds, 'test')
    const all = Int32Array.from({ length: test.count }, (_, k) => k)
    new Rng((seed ^ 0x5eed) >>> 0).shuffle(all)
    const order = all.slice(0, Math.min(test.count, o.fidelityItems ?? test.count)).sort()
    const items = Array.from(order, (k) => testIdx[k]!)
    log(`reconstruction fidelity against true outlines (${items.length} of ${test.count} test items)`)
    const got = await o.outlines(items)
    if ('missing' in got) fidelity = { skipped: got.missing }
    else {
      const sub = new Float32Array(items.length * px)
      order.forEach((k, i) => sub.set(recon.subarray(k * px, (k + 1) * px), i * px))
      const groupOf = kind === 'glyphs' ? (item: number) => (tagsOf(ds, item).includes('italic') ? 'italic' : 'upright') : undefined
      const real = subset(test, order).pixels
      fidelity = reconstructionFidelity({ items, recon: sub, real, S, outlineOf: got.outlineOf, groupOf })
      for (const f of fidelity.failures.slice(0, 32)) {
        topologyFailures.push({
          label: ds.classes[ds.classIds[items[f.index]!]!]!.label,
          real: Float32Array.from(real.subarray(f.index * px, (f.index + 1) * px), (v) => v / 255),
          recon: sub.slice(f.index * px, (f.index + 1) * px),
          parts: f.parts,
          holes: f.holes,
        })
      }
    }
    if ('skipped' in fidelity) log(`  skipped: ${fidelity.skipped}`)
  }

  log('test ELBO')
  const { weights } = readModelWeights(modelBytes)
  const built = buildEvalGraph(card.spec)
  const evalRunner = await GraphRunner.open(built.model, { threads: o.threads })
  const feeds: Feeds = Object.fromEntries(built.params.map((p) => [p.name, { data: weights.get(p.name)!, dims: p.shape }]))
  const elbo = await evaluateElbo({ runner: evalRunner, weights: feeds, imageSize: S, latentSize: L, field: isFieldModel(card.spec) }, test, { binarize: 'dynamic', seed })
  await evalRunner.release()

  let transfer: TransferResult | undefined
  if (kind === 'glyphs') {
    log('style transfer on held-out fonts')
    transfer = await styleTransfer(runner, ds, { sourceClasses: o.transferSources ?? ['a', 'A', 'n', 'H'] })
  }

  log('latent statistics on the validation split')
  const valPost = await runner.encodeBatch(toCoverage(val), val.labels, val.count)
  const latent = { ...latentStats(valPost.mu, valPost.logvar, val.count, L), count: val.count }

  log('semantic directions from style tags (fit on training-split encoder means)')
  const trainIdx = splitIndices(ds, 'train')
  const trainPost = await runner.encodeBatch(toCoverage(train), train.labels, train.count)
  const directions: FittedDirection[] = []
  for (const d of kind === 'icons' ? ICON_DIRECTIONS : kind === 'glyphs' ? GLYPH_DIRECTIONS : []) {
    const y = Float64Array.from(trainIdx, (i) => d.target(tagsOf(ds, i)) ?? NaN)
    const fit = fitDirection(trainPost.mu, L, y, { name: d.name, label: d.label })
    if (fit) directions.push(fit)
    else log(`  no direction "${d.name}": too few tagged training items`)
  }
  const weight = directions.find((d) => d.name === 'weight')
  const weightSweep = weight ? await sweepDirection(runner, classifier, weight.vector, weight.range, { seed }) : undefined
  await Promise.all([classifier.release(), runner.dispose()])
  return {
    kind,
    datasetSha256,
    classifier: { testAccuracy: ceiling, testCount: classifier.meta.testCount, cached },
    consistency,
    reconstruction,
    elbo: { ...elbo, binarize: 'dynamic' },
    diversity: { generated: divGen, real: divReal, ratio: divGen / divReal },
    novelty: nov,
    noveltyReal: novReal,
    transfer,
    latent,
    directions,
    weightSweep,
    designer,
    grid,
    fidelity,
    topologyFailures,
  }
}

async function classConsistency(classifier: Classifier, gen: Float32Array, cls: Int32Array, K: number, per: number, labels: string[], ceiling: number): Promise<EvalReport['consistency']> {
  const pred = await classifier.predict(gen, cls.length)
  const right = new Int32Array(K)
  for (let i = 0; i < cls.length; i++) if (pred[i] === cls[i]) right[cls[i]!]!++
  const accuracy = right.reduce((a, b) => a + b, 0) / cls.length
  const worst = Array.from(right, (r, c) => ({ label: labels[c]!, accuracy: r / per })).sort((a, b) => a.accuracy - b.accuracy).slice(0, 5)
  return { accuracy, relative: accuracy / ceiling, perClass: per, worst }
}
