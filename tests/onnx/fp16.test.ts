import { describe, expect, it } from 'vitest'
import { buildModelFile, Generator, resolveSpec } from '../../sdk/index.js'
import { heInit } from '../../sdk/graph/layers.js'
import { float16Bits, float16Value } from '../../sdk/onnx/fp16.js'
import { testClasses } from '../helpers/models.js'

describe('float16 weights', () => {
  it('converts with round-to-nearest-even, subnormals and overflow', () => {
    expect(float16Bits(1)).toBe(0x3c00)
    expect(float16Bits(-2)).toBe(0xc000)
    expect(float16Bits(65504)).toBe(0x7bff)
    expect(float16Bits(65520)).toBe(0x7c00) // rounds up to infinity
    expect(float16Bits(2 ** -24)).toBe(0x0001) // smallest subnormal
    expect(float16Bits(2 ** -26)).toBe(0x0000)
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00) // tie → even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02) // tie → even (up)
    expect(Number.isNaN(float16Value(float16Bits(NaN)))).toBe(true)
    for (const v of [0.1, -3.14159, 7e-5, 1234.5]) expect(Math.abs(float16Value(float16Bits(v)) - v) / Math.abs(v)).toBeLessThan(2 ** -11)
    expect(Math.abs(float16Value(float16Bits(1e-6)) - 1e-6)).toBeLessThanOrEqual(2 ** -25) // subnormal: absolute error
  })

  it('a float16 model file is about half the size and decodes like the float32 one', async () => {
    const card = { name: 't', kind: 'other' as const, classes: testClasses, spec: resolveSpec('demo64', testClasses.length), attribution: [], metrics: {}, createdAt: '2026-01-01T00:00:00.000Z' }
    const full = buildModelFile(card, heInit(3), { refinement: false })
    const half = buildModelFile({ ...card, weightFormat: 'float16' }, heInit(3), { refinement: false })
    expect(half.length).toBeLessThan(full.length * 0.55)
    const [a, b] = [await Generator.load(full), await Generator.load(half)]
    const z = a.sample({ class: 0, n: 4, seed: 2 })
    const [x, y] = [await a.decode(z, 0), await b.decode(z, 0)]
    let max = 0
    x.forEach((bm, i) => bm.data.forEach((v, j) => (max = Math.max(max, Math.abs(v - y[i]!.data[j]!)))))
    expect(max).toBeGreaterThan(0)
    expect(max).toBeLessThan(5e-3)
    await a.dispose()
    await b.dispose()
  })
})
