/**
 * The distance-field likelihood: its per-pixel −log p matches the Laplace formula (with the clamp's one-sided cost),
 * a model trains on fields, and its file returns coverage that the SDK encodes, decodes and fits like any other.
 */
import { describe, expect, it } from 'vitest'
import { Graph } from '../../sdk/graph/graph.js'
import { FIELD_CLAMP, FIELD_SCALE, pixelNll } from '../../sdk/model/likelihood.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { Generator } from '../../sdk/index.js'
import type { ImageSet } from '../../sdk/train/data.js'
import { GraphRunner, graphModel } from '../../sdk/train/session.js'
import { Trainer } from '../../sdk/train/trainer.js'
import { barSet } from '../helpers/bar-set.js'

// 3 "sets" × 4 classes × 2 copies, 16×16: set g draws class k as a bar 3 rows tall and 3 + 3g wide at row 3k + 1
const toySet = (): ImageSet => barSet({ top: 1, height: 3, left: 3, right: 6 })

describe('distance-field likelihood', () => {
  it('−log p(t|f) = |f − t|/b + log 2b (Gaussian: e²/2b² + log b√2π), and a target at the clamp only asks f to reach it', async () => {
    const spec = { ...resolveSpec('tiny', 2), likelihood: 'distance-field' as const }
    const R = FIELD_CLAMP
    const cases: [number, number, number][] = [
      // [f, t, |error| that counts]
      [0.3, 1, 0.7], [-2, 0.5, 2.5], [R + 3, R, 0], [R - 1, R, 1], [-R - 5, -R, 0], [-R + 2, -R, 2], [R + 1, -R, 2 * R + 1], [2, R - 0.5, R - 2.5],
    ]
    const g = new Graph()
    const f = g.input('f', [cases.length])
    const t = g.input('t', [cases.length])
    g.output(pixelNll(g, spec, f, t), 'nll')
    const runner = await GraphRunner.open(graphModel(g, 'field-nll'))
    const out = await runner.run({ f: { data: Float32Array.from(cases, (c) => c[0]), dims: [cases.length] }, t: { data: Float32Array.from(cases, (c) => c[1]), dims: [cases.length] } }, ['nll'])
    await runner.release()
    cases.forEach(([fv, tv, e], i) => expect(out.nll![i], `f ${fv}, t ${tv}`).toBeCloseTo(e / FIELD_SCALE + Math.log(2 * FIELD_SCALE), 5))
    // the Gaussian density on the same errors: e²/2b² + log b√2π
    const gg = new Graph()
    const gf = gg.input('f', [cases.length])
    const gt = gg.input('t', [cases.length])
    gg.output(pixelNll(gg, { ...spec, fieldDensity: 'gaussian' }, gf, gt), 'nll')
    const gr = await GraphRunner.open(graphModel(gg, 'field-nll-gauss'))
    const gout = await gr.run({ f: { data: Float32Array.from(cases, (c) => c[0]), dims: [cases.length] }, t: { data: Float32Array.from(cases, (c) => c[1]), dims: [cases.length] } }, ['nll'])
    await gr.release()
    cases.forEach(([fv, tv, e], i) => expect(gout.nll![i], `gaussian f ${fv}, t ${tv}`).toBeCloseTo((e * e) / (2 * FIELD_SCALE * FIELD_SCALE) + Math.log(FIELD_SCALE * Math.sqrt(2 * Math.PI)), 4))
  })

  it('is a spec option; a field density without a distance-field likelihood is refused', () => {
    expect(resolveSpec({ ...resolveSpec('tiny', 2), likelihood: 'distance-field', fieldDensity: 'gaussian' }, 2).fieldDensity).toBe('gaussian')
    expect(() => resolveSpec({ ...resolveSpec('tiny', 2), fieldDensity: 'gaussian' }, 2)).toThrow(/fieldDensity applies to likelihood "distance-field" only/)
    expect(() => resolveSpec({ ...resolveSpec('tiny', 2), likelihood: 'distance-field', fieldDensity: 'cauchy' as never }, 2)).toThrow(/fieldDensity must be "laplace" or "gaussian"/)
  })

  it('trains on fields; the model file returns coverage, reconstructs its items and fits styles', async () => {
    const set = toySet()
    const spec = resolveSpec({ ...resolveSpec('tiny', 4), likelihood: 'distance-field' }, 4)
    const t = await Trainer.create({ spec, seed: 1, batchSize: 8, steps: 600, lr: 3e-3, binarize: 'none', threads: 1 }, { train: set, val: set })
    const first = (await t.run({ stopAfter: 5 })).final.loss
    const summary = await t.run()
    expect(summary.final.loss).toBeLessThan(first * 0.5)
    const gen = await Generator.load(t.exportModel({ name: 'toy-field', kind: 'other', attribution: [{ source: 'test', license: 'MIT' }] }))
    await t.close()
    expect(gen.card.spec.likelihood).toBe('distance-field')
    const S = 16
    let iou = 0
    for (const item of [0, 9, 22]) {
      const bitmap = { width: S, height: S, data: Float32Array.from(set.pixels.subarray(item * S * S, (item + 1) * S * S), (v) => v / 255) }
      const post = await gen.encode(bitmap, set.classes[set.labels[item]!]!)
      const img = await gen.decodeBatch(post.mu, [set.labels[item]!], 1)
      let inter = 0
      let union = 0
      for (let i = 0; i < S * S; i++) {
        expect(img[i]).toBeGreaterThanOrEqual(0)
        expect(img[i]).toBeLessThanOrEqual(1)
        const a = img[i]! >= 0.5
        const b = bitmap.data[i]! >= 0.5
        if (a && b) inter++
        if (a || b) union++
      }
      iou += inter / union / 3
    }
    expect(iou).toBeGreaterThan(0.7)
    // the refinement graph scores the references' fields: the loss falls as the style is fitted
    const ref = { bitmap: { width: S, height: S, data: Float32Array.from(set.pixels.subarray(0, S * S), (v) => v / 255) }, class: 'a' }
    const fitted = await gen.fit([ref], { steps: 20 })
    expect(fitted.losses.at(-1)!).toBeLessThan(fitted.losses[0]!)
    await gen.dispose()
  }, 180_000)
})
