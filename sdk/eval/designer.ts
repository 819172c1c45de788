/**
 * What a designer sees, measured on prior samples against the real test split: crispness (grey share
 * of ink), clean vectors (traced with the shipped tracer: stray parts, part and hole counts per class), realism and
 * coverage (precision / recall in the classifier's features, k = 3), and the lowest-scoring samples per class for
 * the worst-samples sheet.
 */
import type { ImageSet } from '../train/data.js'
import type { Classifier } from './classifier.js'
import { crispness } from './crispness.js'
import { precisionRecall, type PrecisionRecall } from './precision-recall.js'
import { topologyMatch, traceAll, vectorStats, type TopologyMatch, type VectorStats } from './vectors.js'

export interface DesignerReport {
  crispness: { generated: number; real: number; ratio: number; entropyGenerated: number; entropyReal: number }
  vectors: { generated: VectorStats; real: VectorStats; perClass: number; realCount: number; topology: TopologyMatch }
  precisionRecall: PrecisionRecall
  /** Per class: indices (within the class's block of samples) of its lowest-scoring samples, and their scores. */
  worst: { label: string; samples: number[]; scores: number[] }[]
}

export interface DesignerInput {
  /** Prior samples, class-major: class c's `per` samples are images c·per … (c+1)·per − 1 (coverage floats). */
  gen: Float32Array
  per: number
  test: ImageSet
  classifier: Classifier
  /** Samples per class traced for the vector measures (default 32; every real test image is traced). */
  tracePerClass?: number
  /** Samples per class in the worst-samples sheet (default 8). */
  worstPerClass?: number
}

export async function designerMeasures(o: DesignerInput): Promise<DesignerReport> {
  const { gen, per, test, classifier } = o
  const S = test.size
  const px = S * S
  const K = test.classes.length
  const n = K * per
  const cg = crispness(gen, n, px)
  const cr = crispness(test.pixels, test.count, px)

  const traced = Math.min(per, o.tracePerClass ?? 32)
  const pick = new Float32Array(K * traced * px)
  const pickClasses = new Int32Array(K * traced)
  for (let c = 0; c < K; c++) {
    pick.set(gen.subarray(c * per * px, (c * per + traced) * px), c * traced * px)
    pickClasses.fill(c, c * traced, (c + 1) * traced)
  }
  const genShapes = traceAll(pick, K * traced, S)
  const realShapes = traceAll(test.pixels, test.count, S)
  const vectors = {
    generated: vectorStats(genShapes),
    real: vectorStats(realShapes),
    perClass: traced,
    realCount: test.count,
    topology: topologyMatch(genShapes, pickClasses, realShapes, test.labels, test.classes),
  }

  // precision / recall: one sample of the same class per real test image, so both sets have the same classes
  const used = new Int32Array(K)
  const genIdx: number[] = []
  for (let i = 0; i < test.count; i++) {
    const c = test.labels[i]!
    if (used[c]! < per) genIdx.push(c * per + used[c]!++)
  }
  const genSet = new Float32Array(genIdx.length * px)
  genIdx.forEach((g, k) => genSet.set(gen.subarray(g * px, (g + 1) * px), k * px))
  const realX = Float32Array.from(test.pixels, (v) => v / 255)
  const d = classifier.meta.spec.hidden
  const pr = precisionRecall(await classifier.features(realX, test.count), test.count, await classifier.features(genSet, genIdx.length), genIdx.length, d)

  // worst samples: lowest classifier probability of the class they were drawn for
  const probs = await classifier.probabilities(gen, n)
  const w = Math.min(per, o.worstPerClass ?? 8)
  const worst = test.classes.map((label, c) => {
    const order = Array.from({ length: per }, (_, k) => k).sort((a, b) => probs[(c * per + a) * K + c]! - probs[(c * per + b) * K + c]!).slice(0, w)
    return { label, samples: order, scores: order.map((k) => probs[(c * per + k) * K + c]!) }
  })
  return {
    crispness: { generated: cg.greyShare, real: cr.greyShare, ratio: cg.greyShare / cr.greyShare, entropyGenerated: cg.entropy, entropyReal: cr.entropy },
    vectors,
    precisionRecall: pr,
    worst,
  }
}
