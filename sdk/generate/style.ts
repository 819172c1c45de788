/**
 * Style from references: several drawings (glyphs of one font, icons of one set) combined into one style latent,
 * and that latent refined against the drawings themselves.
 *
 * - {@link productOfExperts}: each reference's posterior q(u|xᵢ,cᵢ) = N(μᵢ, diag σᵢ²) is an expert; their product
 *   is Gaussian with precision Σᵢ σᵢ⁻² and the precision-weighted mean Σᵢ σᵢ⁻² μᵢ / Σᵢ σᵢ⁻² (per dimension). A
 *   confident reference (small σ) pulls harder than a vague one; k equal experts shrink the variance k-fold.
 * - {@link refineStyle}: a few Adam steps on the style latent s that lower the negative ELBO of the references at
 *   the posterior mean, Σᵢ −log p(xᵢ | uᵢ(s), cᵢ) + ½·meanᵢ ‖uᵢ(s)‖² (reconstruction plus the part of the KL to the
 *   N(0, I) prior that depends on the mean), where uᵢ(s) = Aᵢ·s + bᵢ is the latent the decoder gets for reference
 *   i's class (affine: a shift between class frames, and for a spatial latent the class's own grid). The gradient
 *   of the reconstruction comes from the model file's refinement graph; the chain through Aᵢ and the Adam update
 *   run here in float64, so the same inputs give the same steps in every runtime.
 */
import { LatentypeError } from '../errors.js'

/** A Gaussian with diagonal covariance, in log-variance form. */
export interface DiagonalGaussian {
  mu: Float32Array
  logvar: Float32Array
}

/** The product of diagonal Gaussian experts (renormalised): precision-weighted mean, summed precision. */
export function productOfExperts(experts: readonly DiagonalGaussian[]): DiagonalGaussian {
  if (experts.length === 0) throw new LatentypeError('BAD_ARGUMENT', 'productOfExperts needs at least one posterior')
  const L = experts[0]!.mu.length
  const mu = new Float32Array(L)
  const logvar = new Float32Array(L)
  for (let d = 0; d < L; d++) {
    let precision = 0
    let weighted = 0
    for (const e of experts) {
      const p = Math.exp(-e.logvar[d]!)
      precision += p
      weighted += p * e.mu[d]!
    }
    mu[d] = weighted / precision
    logvar[d] = -Math.log(precision)
  }
  return { mu, logvar }
}

/** An affine map u = A·s + b from the style latent to the latent one reference is decoded from ([L·L] row-major A). */
export interface AffineLatent {
  a: Float64Array
  b: Float64Array
}

/** Samples an affine map (given as a function) at 0 and the unit vectors: exact for affine `f`. */
export function affineOf(f: (s: Float32Array) => Float32Array, L: number): AffineLatent {
  const b = Float64Array.from(f(new Float32Array(L)))
  const a = new Float64Array(L * L)
  const e = new Float32Array(L)
  for (let k = 0; k < L; k++) {
    e.fill(0)
    e[k] = 1
    const col = f(e)
    for (let r = 0; r < L; r++) a[r * L + k] = col[r]! - b[r]!
  }
  return { a, b }
}

/** Reconstruction terms for k latents at once: −log p(xᵢ|uᵢ,cᵢ) and its gradient in uᵢ ([k·L]). */
export type ReconstructionGradient = (u: Float32Array) => Promise<{ rec: Float32Array; grad: Float32Array }>

export interface RefineOptions {
  /** Adam steps (default 30). */
  steps?: number
  /** Adam learning rate in prior units (default 0.1). */
  lr?: number
  /**
   * Called after each evaluation: step 0 is the starting point, `steps` the last. When it returns a promise, the
   * next step waits for it (a worker can yield there, so that a cancel message gets through between steps).
   */
  onProgress?: (p: { step: number; steps: number; loss: number }) => void
  /** Aborting stops the refinement before its next step; the call then rejects with an ABORTED error (an `AbortSignal`, or anything with `aborted`). */
  signal?: { readonly aborted: boolean }
}

export interface Refined {
  /** The style latent with the lowest loss seen. */
  latent: Float32Array
  /** The loss at each evaluated point (steps + 1 values: the start, then after each step). */
  losses: number[]
}

/** Adam on the style latent; see the module comment for the objective. */
export async function refineStyle(start: Float32Array, maps: readonly AffineLatent[], reconstruct: ReconstructionGradient, o: RefineOptions = {}): Promise<Refined> {
  const steps = o.steps ?? 30
  const lr = o.lr ?? 0.1
  if (!Number.isInteger(steps) || steps < 0 || steps > 1000) throw new LatentypeError('BAD_ARGUMENT', `fit steps must be a whole number from 0 to 1000 (got ${steps}) — e.g. steps: 30`)
  if (!(lr > 0 && lr <= 10)) throw new LatentypeError('BAD_ARGUMENT', `fit lr must be a number in (0, 10] (got ${lr}) — e.g. lr: 0.1`)
  const L = start.length
  const k = maps.length
  const s = Float64Array.from(start)
  const m = new Float64Array(L)
  const v = new Float64Array(L)
  const u = new Float32Array(k * L)
  const losses: number[] = []
  let best = Float32Array.from(start)
  let bestLoss = Infinity
  for (let t = 0; ; t++) {
    if (o.signal?.aborted) throw new LatentypeError('ABORTED', `fit was cancelled after ${t} of ${steps} steps`)
    maps.forEach((f, i) => {
      for (let r = 0; r < L; r++) {
        let acc = f.b[r]!
        for (let c = 0; c < L; c++) acc += f.a[r * L + c]! * s[c]!
        u[i * L + r] = acc
      }
    })
    const { rec, grad } = await reconstruct(u)
    let loss = 0
    for (let i = 0; i < k; i++) loss += rec[i]!
    for (let j = 0; j < k * L; j++) loss += (0.5 * u[j]! * u[j]!) / k
    if (!Number.isFinite(loss)) throw new LatentypeError('RUNTIME', `fit's loss became ${loss} at step ${t} — lower lr`)
    losses.push(loss)
    if (loss < bestLoss) {
      bestLoss = loss
      best = Float32Array.from(s)
    }
    await o.onProgress?.({ step: t, steps, loss })
    if (t === steps) break
    // ∂loss/∂s = Σᵢ Aᵢᵀ (∂recᵢ/∂uᵢ + uᵢ/k)
    const gs = new Float64Array(L)
    maps.forEach((f, i) => {
      for (let r = 0; r < L; r++) {
        const gu = grad[i * L + r]! + u[i * L + r]! / k
        if (gu === 0) continue
        for (let c = 0; c < L; c++) gs[c] = gs[c]! + f.a[r * L + c]! * gu
      }
    })
    const b1 = 0.9
    const b2 = 0.999
    const c1 = 1 - b1 ** (t + 1)
    const c2 = 1 - b2 ** (t + 1)
    for (let c = 0; c < L; c++) {
      m[c] = b1 * m[c]! + (1 - b1) * gs[c]!
      v[c] = b2 * v[c]! + (1 - b2) * gs[c]! * gs[c]!
      s[c] = s[c]! - (lr * (m[c]! / c1)) / (Math.sqrt(v[c]! / c2) + 1e-8)
    }
  }
  return { latent: best, losses }
}
