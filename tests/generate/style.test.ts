/**
 * Style from several references: the product of experts, the refinement graph's gradient, and Generator.fit
 * (lowers the loss, deterministic, the same on onnxruntime-node and onnxruntime-web, cancellable, typed errors).
 */
import { describe, expect, it } from 'vitest'
import { buildModelFile, Generator, LatentypeError, resolveSpec, type Reference } from '../../sdk/index.js'
import { Generator as WebGenerator } from '../../sdk/web.js'
import { Graph } from '../../sdk/graph/graph.js'
import { fromWeights, heInit } from '../../sdk/graph/layers.js'
import { decoder } from '../../sdk/model/cvae.js'
import { parseModelFile, splitModel } from '../../sdk/model/file.js'
import { pixelNll } from '../../sdk/model/likelihood.js'
import { fitPrior, priorWeights } from '../../sdk/model/prior.js'
import { REFINE_IO } from '../../sdk/model/refine-graph.js'
import type { CvaeSpec } from '../../sdk/model/spec.js'
import { productOfExperts } from '../../sdk/generate/style.js'
import { Rng } from '../../sdk/random.js'
import { nodeBackend } from '../../sdk/runtime/node.js'
import { gradients, sumAll } from '../../sdk/train/autodiff.js'
import { GraphRunner, graphModel } from '../../sdk/train/session.js'
import { readModelWeights } from '../../sdk/train/model-weights.js'
import { testClasses, tinyModelBytes } from '../helpers/models.js'

const card = (spec: CvaeSpec) => ({ name: 'style-test', kind: 'other' as const, classes: testClasses, spec, attribution: [], metrics: {}, weightFormat: 'float32' as const })

/** A 16² spatial-latent model with a fitted mixture prior (random weights, prior fitted to random posteriors). */
function spatialPriorModel(): Uint8Array {
  const spec = resolveSpec({ ...resolveSpec('tiny', 4), latentSize: 4 + 2 * 16, spatialLatent: { channels: 2 } }, testClasses.length)
  const raw = buildModelFile(card(spec), heInit(4))
  const { weights } = readModelWeights(raw)
  const L = spec.latentSize
  const n = 200
  const rng = new Rng(9)
  const p = fitPrior(rng.normals(n * L, 1.5), new Float32Array(n * L).fill(-1), Uint16Array.from({ length: n }, (_, i) => i % 4), n, 4, L, { components: 2, seed: 1 })
  for (const [k, v] of priorWeights(p)) weights.set(k, v)
  return buildModelFile({ ...card(spec), prior: { type: 'class-gaussian', fittedOn: 'test', items: n, components: 2 } }, fromWeights(weights))
}

/** A blob of ink at (cx, cy) with radius r: a stand-in drawing with a known answer for "more ink". */
function disc(S: number, cx: number, cy: number, r: number): Float32Array {
  const d = new Float32Array(S * S)
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) d[y * S + x] = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)))
  return d
}

const refsFor = (S: number): Reference[] => [
  { class: 'heart', bitmap: { width: S, height: S, data: disc(S, 8, 8, 5) } },
  { class: 'A', bitmap: { width: S, height: S, data: disc(S, 6, 9, 4) } },
  { class: 'bell', bitmap: { width: S, height: S, data: disc(S, 9, 7, 6) } },
]

describe('style from references', () => {
  it('productOfExperts: precision-weighted mean and summed precision (closed form)', () => {
    const a = { mu: Float32Array.of(0, 4), logvar: Float32Array.of(0, Math.log(4)) }
    const b = { mu: Float32Array.of(3, 4), logvar: Float32Array.of(Math.log(2), Math.log(4)) }
    const p = productOfExperts([a, b])
    // dim 0: precisions 1 and 1/2 → mean (0·1 + 3·½)/1.5 = 1, variance 1/1.5
    expect(p.mu[0]).toBeCloseTo(1, 6)
    expect(p.logvar[0]).toBeCloseTo(-Math.log(1.5), 6)
    // dim 1: two equal experts → same mean, half the variance
    expect(p.mu[1]).toBeCloseTo(4, 6)
    expect(p.logvar[1]).toBeCloseTo(Math.log(2), 6)
    expect(productOfExperts([a]).mu).toEqual(a.mu)
  })

  it('encodeMany of one reference is its posterior; of several, the product of the posteriors (shifted to one class)', async () => {
    const gen = await Generator.fromBytes(tinyModelBytes(3), nodeBackend())
    const refs = refsFor(16)
    const one = await gen.encodeMany([refs[0]!])
    const post = await gen.encode(refs[0]!.bitmap, 'heart')
    expect(one.class.label).toBe('heart')
    expect(one.mu).toEqual(post.mu)
    const many = await gen.encodeMany(refs)
    const each = await Promise.all(refs.map((r) => gen.encode(r.bitmap, r.class)))
    const expected = productOfExperts(each)
    many.mu.forEach((v, d) => expect(v).toBeCloseTo(expected.mu[d]!, 5))
    // the old form and the reference forms agree
    const byBitmap = await gen.transfer(refs[0]!.bitmap, 'heart', ['bell', 'a'])
    const byRef = await gen.transfer(refs[0]!, ['bell', 'a'])
    const byStyle = await gen.transfer(one, ['bell', 'a'])
    expect(byRef.map((r) => Array.from(r.bitmap.data))).toEqual(byBitmap.map((r) => Array.from(r.bitmap.data)))
    expect(byStyle.map((r) => Array.from(r.bitmap.data))).toEqual(byBitmap.map((r) => Array.from(r.bitmap.data)))
    await gen.dispose()
  })

  it('with a fitted prior, encodeMany moves each posterior into the first class\'s units before combining', async () => {
    const gen = await Generator.fromBytes(spatialPriorModel(), nodeBackend())
    const refs = refsFor(16)
    const single = await gen.encodeMany([refs[1]!])
    // one reference of class A, expressed in heart's units, decodes A exactly as before
    const moved = gen.styleLatent(single, 'heart')
    const back = gen.styleLatent({ ...single, class: gen.resolveClass('heart'), mu: moved }, 'A')
    const [x, y] = await gen.decode([single.mu, back], 'A')
    // A → heart → A keeps the global part and returns A's mean grid: the same drawing as A's grid replaced once
    const [z] = await gen.decode([gen.styleLatent({ ...single, mu: gen.styleLatent(single, 'bell') , class: gen.resolveClass('bell') }, 'A')], 'A')
    y!.data.forEach((v, i) => expect(v).toBeCloseTo(z!.data[i]!, 4))
    expect(x!.data.length).toBe(256)
    await gen.dispose()
  })

  it('the refinement graph\'s ∂rec/∂z matches finite differences and the training graph\'s (im2col) decoder gradient', async () => {
    for (const bytes of [tinyModelBytes(6), spatialPriorModel()]) {
      const { card: c, model } = parseModelFile(bytes)
      const spec = c.spec
      const L = spec.latentSize
      const S = spec.imageSize
      const K = c.classes.length
      const runner = await GraphRunner.open(splitModel(model).refinement!)
      const n = 2
      const rng = new Rng(12)
      const z = rng.normals(n * L, 0.7)
      const onehot = new Float32Array(n * K)
      onehot[0 * K + 1] = 1
      onehot[1 * K + 3] = 1
      const target = Float32Array.from({ length: n * S * S }, (_, i) => ((i * 7919) % 13) / 12)
      const feeds = (zz: Float32Array) => ({ [REFINE_IO.z]: { data: zz, dims: [n, L] }, [REFINE_IO.class]: { data: onehot, dims: [n, K] }, [REFINE_IO.target]: { data: target, dims: [n, 1, S, S] } })
      const out = await runner.run(feeds(z), [REFINE_IO.rec, REFINE_IO.grad])
      const grad = out[REFINE_IO.grad]!
      // central differences along random directions, the loss summed in float64
      const total = async (zz: Float32Array) => (await runner.run(feeds(zz), [REFINE_IO.rec]))[REFINE_IO.rec]!.reduce((a, b) => a + b, 0)
      // the tiny random models' losses are large (≈10⁴ nats), so float32 rounding limits the differences' precision
      const errors: number[] = []
      for (let k = 0; k < 6; k++) {
        const v = rng.normals(n * L)
        const h = 5e-3
        const plus = z.map((x, i) => x + h * v[i]!)
        const minus = z.map((x, i) => x - h * v[i]!)
        const fd = ((await total(plus)) - (await total(minus))) / (2 * h)
        const analytic = grad.reduce((a, g, i) => a + g * v[i]!, 0)
        errors.push(Math.abs(fd - analytic) / Math.max(Math.abs(fd), 1))
      }
      errors.sort((x, y) => x - y)
      expect(errors[3]).toBeLessThan(1e-2)
      expect(errors[5]).toBeLessThan(5e-2)
      await runner.release()
      if (c.prior) continue
      // the decoder as the training graphs emit it (static batch, convolutions lowered to Gather + Gemm)
      const g = new Graph()
      const zi = g.input('z', [n, L])
      const ci = g.input('c', [n, K])
      const xi = g.input('x', [n, 1, S, S])
      const logits = decoder(g, spec, zi, ci, fromWeights(readModelWeights(bytes).weights), { conv: 'gemm' })
      const loss = sumAll(g, pixelNll(g, spec, logits, xi))
      g.output(gradients(g, loss, [zi]).get('z')!, 'dz')
      const train = await GraphRunner.open(graphModel(g, 'train-decoder-grad'))
      const dz = (await train.run({ z: { data: z, dims: [n, L] }, c: { data: onehot, dims: [n, K] }, x: { data: target, dims: [n, 1, S, S] } }, ['dz']))['dz']!
      dz.forEach((v, i) => expect(Math.abs(v - grad[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(v))))
      await train.release()
    }
  })

  it('fit lowers the references\' loss, returns the best point, is deterministic and identical on onnxruntime-web', async () => {
    const bytes = spatialPriorModel()
    const gen = await Generator.fromBytes(bytes, nodeBackend())
    const web = await WebGenerator.load(bytes)
    const refs = refsFor(16)
    const progress: number[] = []
    const a = await gen.fit(refs, { steps: 25, lr: 0.1, onProgress: (p) => progress.push(p.step) })
    expect(progress).toEqual(Array.from({ length: 26 }, (_, i) => i))
    expect(a.losses).toHaveLength(26)
    expect(Math.min(...a.losses.slice(-5))).toBeLessThan(a.losses[0]! - 1)
    const b = await gen.fit(refs, { steps: 25, lr: 0.1 })
    expect(Array.from(b.mu)).toEqual(Array.from(a.mu))
    const w = await web.fit(refs, { steps: 25, lr: 0.1 })
    expect(web.backend).toBe('onnxruntime-web/wasm')
    w.mu.forEach((v, i) => expect(Math.abs(v - a.mu[i]!)).toBeLessThan(1e-4))
    w.losses.forEach((v, i) => expect(Math.abs(v - a.losses[i]!)).toBeLessThan(1e-3 * Math.abs(v)))
    // the refined style reconstructs the references better than the encoder's guess
    const start = await gen.encodeMany(refs)
    const recError = async (style: typeof start) => {
      const out = await gen.transfer(style, refs.map((r) => r.class))
      return out.reduce((acc, o, i) => acc + o.bitmap.data.reduce((s, v, j) => s + (v - refs[i]!.bitmap.data[j]!) ** 2, 0), 0)
    }
    expect(await recError(a)).toBeLessThan(await recError(start))
    await Promise.all([gen.dispose(), web.dispose()])
  })

  it('fit can be cancelled; the Generator keeps working', async () => {
    const gen = await Generator.fromBytes(tinyModelBytes(2), nodeBackend())
    const refs = refsFor(16)
    const abort = new AbortController()
    const err = await gen.fit(refs, { steps: 50, onProgress: (p) => { if (p.step === 3) abort.abort() }, signal: abort.signal }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LatentypeError)
    expect((err as LatentypeError).code).toBe('ABORTED')
    expect((err as Error).message).toMatch(/after 4 of 50 steps/)
    expect((await gen.fit(refs, { steps: 2 })).losses).toHaveLength(3)
    await gen.dispose()
  })

  it('bad references → typed errors naming the fix; a file without the refinement graph → MISSING_PART naming it', async () => {
    const gen = await Generator.fromBytes(tinyModelBytes(2), nodeBackend(), 'old.onnx')
    const good = refsFor(16)[0]!
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof LatentypeError ? `${e.code}: ${e.message}` : String(e)))
    expect(await code(gen.encodeMany([]))).toMatch(/^BAD_ARGUMENT: no references/)
    expect(await code(gen.encodeMany([good, { class: 'A', bitmap: { width: 8, height: 8, data: new Float32Array(64) } }]))).toMatch(/^BAD_BITMAP: reference 1: bitmap is 8×8 but the model expects 16×16/)
    expect(await code(gen.encodeMany([{ ...good, class: 'hart' }]))).toMatch(/^UNKNOWN_CLASS: .*heart/)
    const nan = good.bitmap.data.slice()
    nan[5] = NaN
    expect(await code(gen.fit([{ class: 'A', bitmap: { width: 16, height: 16, data: nan } }]))).toMatch(/^BAD_BITMAP: reference 0 has the value NaN/)
    expect(await code(gen.encodeMany([{ class: 'A', bitmap: { width: 16, height: 16, data: new Float32Array(256) } }]))).toMatch(/^BAD_BITMAP: reference 0 is blank/)
    expect(await code(gen.encodeMany(Array.from({ length: 17 }, () => good)))).toMatch(/^BAD_ARGUMENT: 17 references — at most 16/)
    expect(await code(gen.transfer([good], []))).toMatch(/^BAD_ARGUMENT: transfer needs at least one target class/)
    await gen.dispose()
    const { card: c, weights } = readModelWeights(tinyModelBytes(2))
    const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, checksum: _ck, ...rest } = c
    const old = await Generator.fromBytes(buildModelFile(rest, fromWeights(weights), { refinement: false }), nodeBackend(), 'models/old.onnx')
    expect(await code(old.fit([good]))).toMatch(/^MISSING_PART: models\/old\.onnx was exported without the refinement graph .*npm run reexport -- --model models\/old\.onnx/)
    expect((await old.transfer([good], ['bell'])).length).toBe(1)
    await old.dispose()
  })
})
