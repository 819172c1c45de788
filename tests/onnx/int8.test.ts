import { describe, expect, it } from 'vitest'
import { buildModelFile, Generator, resolveSpec } from '../../sdk/index.js'
import { heInit } from '../../sdk/graph/layers.js'
import { dequantizeRows, quantizeRows } from '../../sdk/onnx/int8.js'
import { webBackend } from '../../sdk/runtime/web.js'
import { readModelWeights } from '../../sdk/train/model-weights.js'
import { Rng } from '../../sdk/random.js'
import { testClasses } from '../helpers/models.js'

describe('int8 weights', () => {
  it('quantizes each row by its own scale: error ≤ half a step, zero rows stay zero', () => {
    const w = Float32Array.of(1, -0.6, 0.25, 0.001, 0, 0, 0, 0, 100, -3, 7, 50)
    const { q, scale } = quantizeRows(w, 3)
    expect(Array.from(scale)).toEqual([1 / 127, 1, 100 / 127].map(Math.fround))
    expect(Array.from(q.subarray(0, 4))).toEqual([127, -76, 32, 0])
    const back = dequantizeRows(q, scale)
    w.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual((scale[Math.floor(i / 4)]! / 2) * (1 + 1e-5)))
    expect(Array.from(back.subarray(4, 8))).toEqual([0, 0, 0, 0])
  })

  it("a float16/int8 file stores the encoder in int8: smaller, the same decoder, an encoder within the step size, in Node and the browser runtime", async () => {
    const card = { name: 't', kind: 'other' as const, classes: testClasses, spec: resolveSpec('demo64', testClasses.length), attribution: [], metrics: {}, createdAt: '2026-01-01T00:00:00.000Z' }
    const half = buildModelFile({ ...card, weightFormat: 'float16' }, heInit(3))
    const mixed = buildModelFile({ ...card, weightFormat: 'float16/int8' }, heInit(3))
    expect(mixed.length).toBeLessThan(half.length * 0.85)
    // the reader widens the int8 weights back: what `--init` fine-tuning and the eval graphs read
    const [wh, wm] = [readModelWeights(half).weights, readModelWeights(mixed).weights]
    expect([...wm.keys()].sort()).toEqual([...wh.keys()].sort())
    for (const [name, v] of wh) {
      const m = wm.get(name)!
      const step = Math.max(...v.map(Math.abs)) / 127
      let max = 0
      v.forEach((x, i) => (max = Math.max(max, Math.abs(x - m[i]!))))
      if (name.startsWith('enc/') && name.endsWith('W')) expect(max, name).toBeGreaterThan(0)
      expect(max, name).toBeLessThanOrEqual(name.startsWith('enc/') ? step / 2 + 1e-3 : 0)
    }
    const image = new Rng(4).normals(64 * 64, 0.3).map((v) => Math.min(1, Math.abs(v)))
    const bitmap = { width: 64, height: 64, data: image }
    const [a, b, web] = [await Generator.load(half), await Generator.load(mixed), await Generator.load(mixed, { backend: webBackend() })]
    const z = a.sample({ class: 0, n: 2, seed: 2 })
    const [x, y] = [await a.decode(z, 0), await b.decode(z, 0)]
    x.forEach((bm, i) => expect(Array.from(bm.data)).toEqual(Array.from(y[i]!.data)))
    const [ea, eb, ew] = [await a.encode(bitmap, 0), await b.encode(bitmap, 0), await web.encode(bitmap, 0)]
    let diff = 0
    ea.mu.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - eb.mu[i]!))))
    expect(diff).toBeGreaterThan(0)
    expect(diff).toBeLessThan(0.05)
    eb.mu.forEach((v, i) => expect(Math.abs(v - ew.mu[i]!)).toBeLessThan(1e-4))
    for (const g of [a, b, web]) await g.dispose()
  })
})
