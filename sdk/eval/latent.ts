/**
 * The latent space as users meet it behind the sliders: per-dimension KL of q(z|x,c) to the prior on validation
 * data, active units (Burda et al. 2016: Var_x E[z_d|x] > 0.01), a traversal sheet (each active dimension swept
 * −3σ…+3σ of the prior, other dimensions 0) and sample sheets of every class.
 */
import type { Bitmap } from '../image/bitmap.js'
import { encodeSheetPng } from '../image/sheet.js'
import { traceCubics } from '../image/trace.js'
import { Rng } from '../random.js'
import type { EvalGenerator } from './eval-generator.js'
import { fillCoverage } from './path-raster.js'

export interface LatentStats {
  /** Mean KL(q(z_d|x,c) ‖ N(0,1)) per dimension, nats. */
  klPerDim: number[]
  /** Var over the data of the posterior mean, per dimension. */
  meanVariance: number[]
  /** Dimensions with meanVariance > 0.01. */
  activeDims: number[]
}

export const ACTIVE_THRESHOLD = 0.01

export function latentStats(mu: Float32Array, logvar: Float32Array, n: number, L: number): LatentStats {
  const kl = new Float64Array(L)
  const sum = new Float64Array(L)
  const sq = new Float64Array(L)
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < L; d++) {
      const m = mu[i * L + d]!
      const lv = logvar[i * L + d]!
      kl[d] = kl[d]! + 0.5 * (m * m + Math.exp(lv) - 1 - lv)
      sum[d] = sum[d]! + m
      sq[d] = sq[d]! + m * m
    }
  }
  const klPerDim = Array.from(kl, (v) => v / Math.max(1, n))
  const meanVariance = Array.from(sum, (s, d) => Math.max(0, sq[d]! / Math.max(1, n) - (s / Math.max(1, n)) ** 2))
  const activeDims = meanVariance.flatMap((v, d) => (v > ACTIVE_THRESHOLD ? [d] : []))
  return { klPerDim, meanVariance, activeDims }
}

const bitmaps = (images: Float32Array, n: number, S: number): Bitmap[] => Array.from({ length: n }, (_, i) => ({ width: S, height: S, data: images.slice(i * S * S, (i + 1) * S * S) }))

/** Rows: the given dimensions (e.g. active ones by KL, largest first); columns: z_d = −3 … +3, other z 0. */
export async function traversalSheet(runner: EvalGenerator, dims: number[], classId: number, o: { steps?: number; klPerDim?: number[] } = {}): Promise<Uint8Array> {
  const L = runner.card.latentSize
  const S = runner.card.imageSize
  const steps = o.steps ?? 7
  const values = Array.from({ length: steps }, (_, k) => -3 + (6 * k) / (steps - 1))
  const n = dims.length * steps
  const z = new Float32Array(n * L)
  dims.forEach((d, r) => values.forEach((v, k) => (z[(r * steps + k) * L + d] = v)))
  const images = await runner.decodeBatch(z, new Array<number>(n).fill(classId), n)
  const all = bitmaps(images, n, S)
  const rows = dims.map((_, r) => all.slice(r * steps, (r + 1) * steps))
  const label = runner.card.classes[classId]!.label
  return encodeSheetPng(rows, {
    rowLabels: dims.map((d) => `z${d}${o.klPerDim ? ` ${o.klPerDim[d]!.toFixed(2)}` : ''}`),
    columnLabels: values.map((v) => (v > 0 ? `+${v.toFixed(0)}` : v.toFixed(0))),
    title: `${runner.card.name}: latent traversal, class "${label}" (row: dimension, KL nats)`,
  })
}

/**
 * Sample sheets of every class: `perClass` prior samples per row, `rowsPerSheet` classes per sheet. With `traced`,
 * each sample is traced with the shipped tracer and its outline filled (anti-aliased) at the image size: what the
 * plugin inserts, drawn — the same latents as the plain sheets, so the two compare cell by cell.
 */
export async function classSampleSheets(runner: EvalGenerator, o: { perClass?: number; rowsPerSheet?: number; seed?: number; traced?: boolean } = {}): Promise<Uint8Array[]> {
  const L = runner.card.latentSize
  const S = runner.card.imageSize
  const classes = runner.card.classes
  const per = o.perClass ?? 8
  const rowsPer = o.rowsPerSheet ?? 32
  const rng = new Rng(o.seed ?? 1)
  // the same latents in every row, so a column shows one style across classes — unless the model samples from a
  // mixture per class: then each row holds its class's own draws (as Generator.sample gives them)
  const cols = rng.normals(per * L)
  const own = runner.storedPrior?.components ? runner.priorLatents(o.seed ?? 1, per) : undefined
  const sheets: Uint8Array[] = []
  for (let start = 0; start < classes.length; start += rowsPer) {
    const ids = classes.slice(start, start + rowsPer).map((c) => c.id)
    const n = ids.length * per
    const z = new Float32Array(n * L)
    const cls = new Array<number>(n)
    ids.forEach((id, r) => {
      for (let k = 0; k < per; k++) {
        z.set(own ? own.subarray((id * per + k) * L, (id * per + k + 1) * L) : cols.subarray(k * L, (k + 1) * L), (r * per + k) * L)
        cls[r * per + k] = id
      }
    })
    const decoded = bitmaps(await runner.decodeBatch(z, cls, n), n, S)
    const all = o.traced ? decoded.map((b) => fillCoverage(traceCubics(b), S, 1)) : decoded
    const rows = ids.map((_, r) => all.slice(r * per, (r + 1) * per))
    const page = Math.floor(start / rowsPer) + 1
    const pages = Math.ceil(classes.length / rowsPer)
    const what = o.traced ? 'prior samples traced (the vectors the plugin inserts)' : 'prior samples'
    sheets.push(encodeSheetPng(rows, { rowLabels: ids.map((id) => classes[id]!.label.slice(0, 14)), title: `${runner.card.name}: ${what} (seed ${o.seed ?? 1}), sheet ${page}/${pages}` }))
  }
  return sheets
}

/**
 * The worst-samples sheets: per class (row), its lowest-scoring prior samples of the evaluation (`worst` from
 * designerMeasures, indices within the class's `per` samples drawn with `seed`), lowest first; the row label
 * carries the lowest score (the classifier's probability of the class).
 */
export async function worstSampleSheets(runner: EvalGenerator, worst: { label: string; samples: number[]; scores: number[] }[], o: { seed: number; per: number; rowsPerSheet?: number }): Promise<Uint8Array[]> {
  const L = runner.card.latentSize
  const S = runner.card.imageSize
  const z = runner.priorLatents(o.seed, o.per)
  const rowsPer = o.rowsPerSheet ?? 32
  const sheets: Uint8Array[] = []
  for (let start = 0; start < worst.length; start += rowsPer) {
    const rowsOf = worst.slice(start, start + rowsPer)
    const picks = rowsOf.flatMap((w, r) => w.samples.map((k) => ({ c: start + r, k })))
    const zz = new Float32Array(picks.length * L)
    picks.forEach((p, i) => zz.set(z.subarray((p.c * o.per + p.k) * L, (p.c * o.per + p.k + 1) * L), i * L))
    const all = bitmaps(await runner.decodeBatch(zz, picks.map((p) => p.c), picks.length), picks.length, S)
    let at = 0
    const rows = rowsOf.map((w) => all.slice(at, (at += w.samples.length)))
    const page = Math.floor(start / rowsPer) + 1
    sheets.push(encodeSheetPng(rows, {
      rowLabels: rowsOf.map((w) => `${w.label.slice(0, 9)} ${(w.scores[0] ?? 0).toFixed(2)}`),
      title: `${runner.card.name}: worst prior samples per class (lowest classifier probability first; of ${o.per}, seed ${o.seed}), sheet ${page}/${Math.ceil(worst.length / rowsPer)}`,
    }))
  }
  return sheets
}

/**
 * The reconstructions with a topology error, one per row: the real raster, it traced, the decoded posterior mean,
 * it traced (what the plugin would insert from "use selection's style" on that drawing). The row label carries the
 * class and the traced parts / holes of the reconstruction against the true outline's (p 3/2: three parts, two true).
 */
export function topologySheet(name: string, failures: { label: string; real: Float32Array; recon: Float32Array; parts: [number, number]; holes: [number, number] }[], S: number): Uint8Array {
  const traced = (data: Float32Array): Bitmap => fillCoverage(traceCubics({ width: S, height: S, data }), S, 1)
  const rows = failures.map((f) => [{ width: S, height: S, data: f.real }, traced(f.real), { width: S, height: S, data: f.recon }, traced(f.recon)])
  return encodeSheetPng(rows, {
    rowLabels: failures.map((f) => `${f.label.slice(0, 6)} p${f.parts[0]}/${f.parts[1]} h${f.holes[0]}/${f.holes[1]}`),
    title: `${name}: reconstructions with a topology error (real, traced; decode, traced)`,
  })
}

