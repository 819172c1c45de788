/**
 * Measures a semantic direction the way a slider uses it: for prior samples of random classes, set the latent's
 * component along the direction to each of `steps` values across its range and decode. Reports the share of
 * samples whose ink coverage rises monotonically along the sweep, and the share of all decoded images the
 * classifier still recognises as their class.
 */
import { Rng } from '../random.js'
import type { Classifier } from './classifier.js'
import type { EvalGenerator } from './eval-generator.js'

export interface SweepResult {
  /** Share of samples whose mean coverage never drops along the sweep (beyond `tolerance`). */
  monotoneShare: number
  /** Share of swept images the classifier assigns to their class. */
  recognised: number
  /** Mean coverage at the low and high end of the range. */
  coverageLow: number
  coverageHigh: number
  samples: number
}

export async function sweepDirection(runner: EvalGenerator, classifier: Classifier, vector: readonly number[], range: readonly [number, number], o: { samples?: number; steps?: number; seed?: number; tolerance?: number } = {}): Promise<SweepResult> {
  const L = runner.card.latentSize
  const S = runner.card.imageSize
  const px = S * S
  const K = runner.card.classes.length
  const N = o.samples ?? 200
  const T = o.steps ?? 7
  const tol = o.tolerance ?? 1e-4
  const rng = new Rng(o.seed ?? 11)
  const base = rng.normals(N * L)
  const classes = Int32Array.from({ length: N }, () => rng.int(K))
  const z = new Float32Array(N * T * L)
  const cls = new Int32Array(N * T)
  for (let i = 0; i < N; i++) {
    let along = 0
    for (let d = 0; d < L; d++) along += base[i * L + d]! * vector[d]!
    for (let k = 0; k < T; k++) {
      const t = range[0] + ((range[1] - range[0]) * k) / (T - 1)
      for (let d = 0; d < L; d++) z[(i * T + k) * L + d] = base[i * L + d]! + (t - along) * vector[d]!
      cls[i * T + k] = classes[i]!
    }
  }
  const images = await runner.decodeBatch(z, cls, N * T)
  const pred = await classifier.predict(images, N * T)
  const coverage = new Float64Array(N * T)
  for (let j = 0; j < N * T; j++) {
    let s = 0
    for (let p = 0; p < px; p++) s += images[j * px + p]!
    coverage[j] = s / px
  }
  let monotone = 0
  let ok = 0
  let low = 0
  let high = 0
  for (let i = 0; i < N; i++) {
    let rising = true
    for (let k = 1; k < T; k++) if (coverage[i * T + k]! < coverage[i * T + k - 1]! - tol) rising = false
    if (rising) monotone++
    for (let k = 0; k < T; k++) if (pred[i * T + k] === cls[i * T + k]) ok++
    low += coverage[i * T]!
    high += coverage[i * T + T - 1]!
  }
  return { monotoneShare: monotone / N, recognised: ok / (N * T), coverageLow: low / N, coverageHigh: high / N, samples: N }
}
