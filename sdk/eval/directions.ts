/**
 * Semantic directions in latent space from the datasets' style tags: a ridge-regularised linear fit
 * y ≈ w·μ + b of a tag-derived target y (e.g. font weight 4 or 7, italic 0/1) on encoder means μ; the unit
 * vector w/‖w‖ is the direction, and the 2nd–98th percentile of the data's projections onto it is the slider range.
 */
import type { LatentDirection } from '../model/card.js'

/** How one direction's target is read from an item's tags (undefined: the item takes no part in the fit). */
export interface DirectionTarget {
  name: string
  label: string
  target: (tags: readonly string[]) => number | undefined
}

const has = (tags: readonly string[], t: string): boolean => tags.includes(t)

export const GLYPH_DIRECTIONS: DirectionTarget[] = [
  { name: 'weight', label: 'Weight', target: (t) => { const w = t.find((x) => x.startsWith('weight-')); return w ? Number(w.slice(7)) / 100 : undefined } },
  { name: 'italic', label: 'Italic', target: (t) => (has(t, 'italic') ? 1 : has(t, 'upright') ? 0 : undefined) },
  { name: 'serif', label: 'Sans ↔ Serif', target: (t) => (has(t, 'serif') ? 1 : has(t, 'sans') ? 0 : undefined) },
  { name: 'mono', label: 'Monospace', target: (t) => (has(t, 'mono') ? 1 : has(t, 'sans') || has(t, 'serif') ? 0 : undefined) },
]

export const ICON_DIRECTIONS: DirectionTarget[] = [
  { name: 'filled', label: 'Outline ↔ Filled', target: (t) => (has(t, 'filled') && !has(t, 'outline') ? 1 : has(t, 'outline') && !has(t, 'filled') ? 0 : undefined) },
  {
    name: 'weight',
    label: 'Stroke weight',
    target: (t) => {
      if (has(t, 'filled') || has(t, 'duotone')) return undefined
      if (has(t, 'thin')) return 0
      if (has(t, 'light')) return 1
      if (has(t, 'bold')) return 3
      return has(t, 'outline') ? 2 : undefined
    },
  },
]

export interface FittedDirection extends LatentDirection {
  range: [number, number]
  /** Items in the fit. */
  count: number
  /** Pearson correlation of projection and target on the fitting data. */
  fitCorrelation: number
}

/** Solves A x = b for a symmetric positive definite A (n×n, row-major) by Cholesky. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * n + j]!
    }
  }
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = b[i]!
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!
    y[i] = s / l[i * n + i]!
  }
  const x = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!
    x[i] = s / l[i * n + i]!
  }
  return x
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i]!, mb + b[i]!]
  ;[ma, mb] = [ma / n, mb / n]
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
}

/**
 * Fits one direction from posterior means `mu` (n·L) and per-item targets (NaN = not in the fit). Returns
 * undefined when fewer than `minPerSide` items lie on each side of the target's median (nothing to learn from).
 */
export function fitDirection(mu: Float32Array, L: number, y: Float64Array, o: { name: string; label: string; ridge?: number; minPerSide?: number }): FittedDirection | undefined {
  const idx: number[] = []
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) idx.push(i)
  const ys = Float64Array.from(idx, (i) => y[i]!)
  const lo = Math.min(...ys)
  const hi = Math.max(...ys)
  const minSide = o.minPerSide ?? 10
  if (!(hi > lo) || ys.filter((v) => v > lo).length < minSide || ys.filter((v) => v < hi).length < minSide) return undefined
  const n = idx.length
  const mean = new Float64Array(L)
  let ym = 0
  for (let k = 0; k < n; k++) {
    for (let d = 0; d < L; d++) mean[d] = mean[d]! + mu[idx[k]! * L + d]! / n
    ym += ys[k]! / n
  }
  const xtx = new Float64Array(L * L)
  const xty = new Float64Array(L)
  const row = new Float64Array(L)
  for (let k = 0; k < n; k++) {
    for (let d = 0; d < L; d++) row[d] = mu[idx[k]! * L + d]! - mean[d]!
    const t = ys[k]! - ym
    for (let a = 0; a < L; a++) {
      xty[a] = xty[a]! + row[a]! * t
      for (let b = 0; b <= a; b++) xtx[a * L + b] = xtx[a * L + b]! + row[a]! * row[b]!
    }
  }
  const ridge = (o.ridge ?? 1e-2) * n
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < a; b++) xtx[b * L + a] = xtx[a * L + b]!
    xtx[a * L + a] = xtx[a * L + a]! + ridge
  }
  const w = solveSpd(xtx, xty, L)
  const norm = Math.hypot(...w)
  if (!(norm > 0)) return undefined
  const vector = Array.from(w, (v) => v / norm)
  const proj = new Float64Array(y.length)
  for (let i = 0; i < y.length; i++) {
    let s = 0
    for (let d = 0; d < L; d++) s += mu[i * L + d]! * vector[d]!
    proj[i] = s
  }
  const fitCorrelation = correlation(Float64Array.from(idx, (i) => proj[i]!), ys)
  const sorted = Float64Array.from(proj).sort()
  const round = (v: number): number => Math.round(v * 100) / 100
  return { name: o.name, label: o.label, vector, range: [round(percentile(sorted, 0.02)), round(percentile(sorted, 0.98))], count: n, fitCorrelation }
}
