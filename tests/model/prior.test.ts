import { describe, expect, it } from 'vitest'
import { buildModelFile, Generator, parseModelFile, resolveSpec } from '../../sdk/index.js'
import { fromWeights, heInit } from '../../sdk/graph/layers.js'
import { acceptanceWeights, cholesky, fitPrior, invertLower, priorWeights, samplePrior, toModelLatent, type FittedPrior } from '../../sdk/model/prior.js'
import { Rng } from '../../sdk/random.js'
import { nodeBackend } from '../../sdk/runtime/node.js'
import { readModelWeights } from '../../sdk/train/model-weights.js'
import { testClasses, tinyModelBytes } from '../helpers/models.js'

describe('fitted prior', () => {
  it('Cholesky and triangular inverse: C·Cᵀ = A and C·C⁻¹ = I', () => {
    const L = 5
    const rng = new Rng(3)
    const b = rng.normals(L * L)
    const a = new Float64Array(L * L)
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) {
      let s = i === j ? 0.5 : 0
      for (let k = 0; k < L; k++) s += b[i * L + k]! * b[j * L + k]!
      a[i * L + j] = s
    }
    const c = cholesky(a, L)
    const inv = invertLower(c, L)
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) {
      let cct = 0
      let ci = 0
      for (let k = 0; k < L; k++) {
        cct += c[i * L + k]! * c[j * L + k]!
        ci += c[i * L + k]! * inv[k * L + j]!
      }
      expect(cct).toBeCloseTo(a[i * L + j]!, 9)
      expect(ci).toBeCloseTo(i === j ? 1 : 0, 9)
      if (j > i) expect(c[i * L + j]).toBe(0)
    }
  })

  it('recovers class means and the pooled covariance (plus the mean posterior variance) of known data', () => {
    const L = 2
    const n = 20000
    const rng = new Rng(7)
    const means = [[3, -1], [-2, 4]]
    // within-class z = C·e with C = [[1, 0], [0.8, 0.6]] → Σ = [[1, 0.8], [0.8, 1]]; posterior var 0.25 each dim
    const mu = new Float32Array(n * L)
    const logvar = new Float32Array(n * L).fill(Math.log(0.25))
    const ids = new Uint16Array(n)
    for (let i = 0; i < n; i++) {
      const c = i % 2
      const [e0, e1] = rng.normals(2)
      ids[i] = c
      mu[i * L] = means[c]![0]! + e0!
      mu[i * L + 1] = means[c]![1]! + 0.8 * e0! + 0.6 * e1!
    }
    const p = fitPrior(mu, logvar, ids, n, 2, L)
    expect(p.counts).toEqual([10000, 10000])
    for (let c = 0; c < 2; c++) for (let d = 0; d < L; d++) expect(Math.abs(p.mean[c * L + d]! - means[c]![d]!)).toBeLessThan(0.03)
    // Cᵀ row-major: cholT[a][b] = C[b][a]; Σ + 0.25·I = [[1.25, 0.8], [0.8, 1.25]]
    const C = [[p.cholT[0]!, p.cholT[2]!], [p.cholT[1]!, p.cholT[3]!]]
    const s00 = C[0]![0]! ** 2
    const s10 = C[1]![0]! * C[0]![0]!
    const s11 = C[1]![0]! ** 2 + C[1]![1]! ** 2
    expect(s00).toBeCloseTo(1.25, 1)
    expect(s10).toBeCloseTo(0.8, 1)
    expect(s11).toBeCloseTo(1.25, 1)
    expect(C[0]![1]).toBe(0)
  })

  it('baked into a model file: decode(u) = raw decode(m_c + C·u) and encode gives C⁻¹(μ − m_c) and diag(C⁻¹ diag σ² C⁻ᵀ)', async () => {
    const raw = tinyModelBytes(5)
    const { card, weights } = readModelWeights(raw)
    const L = card.latentSize
    const K = card.classes.length
    const rng = new Rng(11)
    // a prior from a random SPD matrix
    const b = rng.normals(L * L)
    const a = new Float64Array(L * L)
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) {
      let s = i === j ? 0.3 : 0
      for (let k = 0; k < L; k++) s += 0.5 * b[i * L + k]! * b[j * L + k]!
      a[i * L + j] = s
    }
    const chol = cholesky(a, L)
    const inv = invertLower(chol, L)
    const t = (m: Float64Array): Float32Array => Float32Array.from({ length: L * L }, (_, k) => m[(k % L) * L + Math.floor(k / L)]!)
    const prior: FittedPrior = { mean: rng.normals(K * L), cholT: t(chol), invT: t(inv), counts: [], components: 0 }
    for (const [k, v] of priorWeights(prior)) weights.set(k, v)
    const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, ...rest } = card
    const fitted = buildModelFile({ ...rest, prior: { type: 'class-gaussian', fittedOn: 'test', items: 0 } }, fromWeights(weights))
    expect(parseModelFile(fitted).card.prior?.type).toBe('class-gaussian')

    const backend = nodeBackend()
    const gRaw = await Generator.fromBytes(raw, backend)
    const gFit = await Generator.fromBytes(fitted, backend)
    const cls = 1
    const u = rng.normals(L)
    const z = new Float32Array(L)
    for (let i = 0; i < L; i++) {
      let s = prior.mean[cls * L + i]!
      for (let j = 0; j <= i; j++) s += chol[i * L + j]! * u[j]!
      z[i] = s
    }
    const [viaPrior] = await gFit.decode([u], cls)
    const [direct] = await gRaw.decode([z], cls)
    for (let i = 0; i < direct!.data.length; i++) expect(viaPrior!.data[i]).toBeCloseTo(direct!.data[i]!, 5)

    const bmp = (await gRaw.decode([rng.normals(L)], cls))[0]!
    const pr = await gRaw.encode(bmp, cls)
    const pf = await gFit.encode(bmp, cls)
    for (let i = 0; i < L; i++) {
      let m = 0
      let v = 0
      for (let j = 0; j <= i; j++) {
        m += inv[i * L + j]! * (pr.mu[j]! - prior.mean[cls * L + j]!)
        v += inv[i * L + j]! ** 2 * Math.exp(pr.logvar[j]!)
      }
      expect(pf.mu[i]).toBeCloseTo(m, 4)
      expect(pf.logvar[i]).toBeCloseTo(Math.log(v), 4)
    }
    await Promise.all([gRaw.dispose(), gFit.dispose()])
  })

  it('a spatial latent: the grid part reaches the decoder, and the spec says how the latent splits', async () => {
    const spec = resolveSpec({ ...resolveSpec('tiny', 4), latentSize: 4 + 2 * 16, spatialLatent: { channels: 2 } }, testClasses.length)
    const bytes = buildModelFile({ name: 'spatial', kind: 'other', classes: testClasses, spec, attribution: [], metrics: {} }, heInit(2))
    const gen = await Generator.fromBytes(bytes, nodeBackend())
    const z = new Float32Array(spec.latentSize)
    const moved = z.slice()
    moved[4 + 5] = 3 // one grid cell of channel 0
    const [a, b] = await gen.decode([z, moved], 0)
    let diff = 0
    for (let i = 0; i < a!.data.length; i++) diff = Math.max(diff, Math.abs(a!.data[i]! - b!.data[i]!))
    expect(diff).toBeGreaterThan(1e-3)
    expect(() => resolveSpec({ ...spec, latentSize: 32 }, 4)).toThrow(/leaves no global latent/)
    await gen.dispose()
  })

  it('a mixture per class: k-means finds the modes, offsets map back to them, sampling picks components by weight', () => {
    const L = 3
    const n = 3000
    const rng = new Rng(5)
    // class 0: two modes (¾ at +4, ¼ at −4 on dim 0); class 1: one mode at (0, 6, 0)
    const mu = new Float32Array(n * L)
    const logvar = new Float32Array(n * L).fill(Math.log(0.01))
    const ids = new Uint16Array(n)
    for (let i = 0; i < n; i++) {
      const c = i < 2000 ? 0 : 1
      ids[i] = c
      const e = rng.normals(L, 0.3)
      const centre = c === 1 ? [0, 6, 0] : i % 4 === 0 ? [-4, 0, 0] : [4, 0, 0]
      for (let d = 0; d < L; d++) mu[i * L + d] = centre[d]! + e[d]!
    }
    const p = fitPrior(mu, logvar, ids, n, 2, L, { components: 2, seed: 3 })
    expect(p.components).toBe(2)
    // back in model units every component sits on a mode; class 0's weights are ¾ and ¼
    const modes0 = [0, 1].map((k) => toModelLatent(p, p.mixOffsets!.subarray(k * L, (k + 1) * L), 0))
    const w0 = [p.mixWeights![0]!, p.mixWeights![1]!]
    const plus = modes0.findIndex((z) => z[0]! > 0)
    expect(modes0[plus]![0]).toBeCloseTo(4, 1)
    expect(modes0[1 - plus]![0]).toBeCloseTo(-4, 1)
    expect(w0[plus]).toBeCloseTo(0.75, 2)
    // the within-component spread (0.3² + 0.01), not the 4-unit gap between modes, sets Σ
    expect(p.cholT[0]).toBeLessThan(0.5)
    // t = 0: every sample is exactly one of the class's offsets, drawn about as often as its weight
    const draws = samplePrior(p, L, 0, 400, new Rng(9), 0)
    const atPlus = draws.filter((u) => u.every((v, d) => v === p.mixOffsets![plus * L + d])).length
    const atMinus = draws.filter((u) => u.every((v, d) => v === p.mixOffsets![(1 - plus) * L + d])).length
    expect(atPlus + atMinus).toBe(400)
    expect(atPlus / 400).toBeGreaterThan(0.68)
    expect(atPlus / 400).toBeLessThan(0.82)
    // same seed, same latents; no prior: plain N(0, t²I)
    expect(samplePrior(p, L, 1, 3, new Rng(4), 1)).toEqual(samplePrior(p, L, 1, 3, new Rng(4), 1))
    expect(samplePrior(undefined, L, 1, 2, new Rng(4), 0.5)).toEqual([new Rng(4).normals(L, 0.5), (() => { const r = new Rng(4); r.normals(L, 0.5); return r.normals(L, 0.5) })()])
  })

  it('Generator.sample draws from the mixture stored in the file (temperature 0: the component centres)', async () => {
    const raw = tinyModelBytes(5)
    const { card, weights } = readModelWeights(raw)
    const L = card.latentSize
    const K = card.classes.length
    const rng = new Rng(2)
    const n = 400
    const mu = rng.normals(n * L, 2)
    const ids = Uint16Array.from({ length: n }, (_, i) => i % K)
    const p = fitPrior(mu, new Float32Array(n * L), ids, n, K, L, { components: 3, seed: 1 })
    for (const [k, v] of priorWeights(p)) weights.set(k, v)
    const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, ...rest } = card
    const file = buildModelFile({ ...rest, weightFormat: 'float32', prior: { type: 'class-gaussian', fittedOn: 'test', items: n, components: 3 } }, fromWeights(weights))
    const gen = await Generator.fromBytes(file, nodeBackend())
    const us = gen.sample({ class: 2, n: 20, seed: 8, temperature: 0 })
    const offsets = [0, 1, 2].map((k) => Array.from(p.mixOffsets!.subarray((2 * 3 + k) * L, (2 * 3 + k + 1) * L)))
    for (const u of us) expect(offsets.some((o) => o.every((v, d) => Math.abs(v - u[d]!) < 1e-6))).toBe(true)
    expect(gen.sample({ class: 2, n: 4, seed: 8 })).toEqual(gen.sample({ class: 2, n: 4, seed: 8 }))
    await gen.dispose()
    // the card's default temperature is what sample uses without one
    const warm = buildModelFile({ ...rest, weightFormat: 'float32', prior: { type: 'class-gaussian', fittedOn: 'test', items: n, components: 3 }, sampling: { temperature: 0.5 } }, fromWeights(weights))
    const g2 = await Generator.fromBytes(warm, nodeBackend())
    expect(g2.defaultTemperature).toBe(0.5)
    expect(g2.sample({ class: 1, n: 3, seed: 4 })).toEqual(g2.sample({ class: 1, n: 3, seed: 4, temperature: 0.5 }))
    expect(g2.sample({ class: 1, n: 3, seed: 4 })).not.toEqual(g2.sample({ class: 1, n: 3, seed: 4, temperature: 1 }))
    await g2.dispose()
  })
  it('acceptance reweighting favours components that draw acceptable pictures, keeps every one reachable, sums to 1 per class', () => {
    // 2 classes × 3 components; class 1's components all fail
    const w = Float32Array.of(0.5, 0.3, 0.2, 0.6, 0.2, 0.2)
    const a = Float32Array.of(0.1, 1, 0.5, 0, 0, 0)
    const out = acceptanceWeights(w, a, 2, 16)
    const f = 0.5 / 16
    const t0 = 0.5 * (0.1 + f) + 0.3 * (1 + f) + 0.2 * (0.5 + f)
    expect(out[0]).toBeCloseTo((0.5 * (0.1 + f)) / t0, 6)
    expect(out[1]).toBeCloseTo((0.3 * (1 + f)) / t0, 6)
    expect(out[1]!).toBeGreaterThan(out[0]!)
    expect(out[0]!).toBeGreaterThan(0)
    // nothing passes: the weights stay as fitted
    expect(Array.from(out.subarray(3))).toEqual(Array.from(w.subarray(3)).map((v) => expect.closeTo(v, 6)))
    for (const c of [0, 1]) expect(out[c * 3]! + out[c * 3 + 1]! + out[c * 3 + 2]!).toBeCloseTo(1, 6)
    expect(() => acceptanceWeights(w, a.subarray(1), 2, 16)).toThrow(/one rate per mixture component/)
  })
})
