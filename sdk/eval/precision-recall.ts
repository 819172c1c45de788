/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for Assessing
 * Generative Models"): each set's manifold is the union of balls around its points, each ball reaching the point's
 * k-th nearest neighbour in the same set (k = 3). Precision: share of generated points inside the real manifold
 * (realism); recall: share of real points inside the generated manifold (coverage). Features are the independent
 * classifier's penultimate activations (classifier.ts), so distances follow what tells shapes apart.
 *
 * @example
 * ```ts
 * const { precision, recall } = precisionRecall(realFeatures, nReal, genFeatures, nGen, 128)
 * ```
 */

export interface PrecisionRecall {
  precision: number
  recall: number
  k: number
  real: number
  generated: number
}

/** Squared Euclidean distances between every row of `a` (n·d) and every row of `b` (m·d), n·m float64. */
function sqDistances(a: Float32Array, n: number, b: Float32Array, m: number, d: number): Float64Array {
  const out = new Float64Array(n * m)
  const na = new Float64Array(n)
  const nb = new Float64Array(m)
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) na[i] = na[i]! + a[i * d + k]! ** 2
  for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) nb[j] = nb[j]! + b[j * d + k]! ** 2
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let dot = 0
      for (let k = 0; k < d; k++) dot += a[i * d + k]! * b[j * d + k]!
      out[i * m + j] = Math.max(0, na[i]! + nb[j]! - 2 * dot)
    }
  }
  return out
}

/** Squared radius of each point's ball: distance to its k-th nearest other point of the same set. */
function radii(self: Float64Array, n: number, k: number): Float64Array {
  const r = new Float64Array(n)
  const row: number[] = []
  for (let i = 0; i < n; i++) {
    row.length = 0
    for (let j = 0; j < n; j++) if (j !== i) row.push(self[i * n + j]!)
    row.sort((x, y) => x - y)
    r[i] = row[Math.min(k, row.length) - 1] ?? 0
  }
  return r
}

/** Share of rows of `cross` (query × ref squared distances) that fall inside any ball of `ref`. */
function covered(cross: Float64Array, nq: number, nr: number, refRadii: Float64Array, byRow: boolean): number {
  let inside = 0
  for (let q = 0; q < nq; q++) {
    for (let r = 0; r < nr; r++) {
      const d = byRow ? cross[q * nr + r]! : cross[r * nq + q]!
      if (d <= refRadii[r]!) {
        inside++
        break
      }
    }
  }
  return inside / Math.max(1, nq)
}

/**
 * Precision and recall of `nGen` generated feature rows against `nReal` real ones (both `d` wide). Needs more
 * than `k` points in each set.
 */
export function precisionRecall(real: Float32Array, nReal: number, gen: Float32Array, nGen: number, d: number, k = 3): PrecisionRecall {
  if (nReal <= k || nGen <= k) return { precision: NaN, recall: NaN, k, real: nReal, generated: nGen }
  const realRadii = radii(sqDistances(real, nReal, real, nReal, d), nReal, k)
  const genRadii = radii(sqDistances(gen, nGen, gen, nGen, d), nGen, k)
  const cross = sqDistances(gen, nGen, real, nReal, d) // gen rows × real columns
  return {
    precision: covered(cross, nGen, nReal, realRadii, true),
    recall: covered(cross, nReal, nGen, genRadii, false),
    k,
    real: nReal,
    generated: nGen,
  }
}
