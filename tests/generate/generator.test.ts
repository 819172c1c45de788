import { describe, expect, it, beforeAll, afterAll } from 'vitest'
import { Generator, LatentypeError, createBitmap, MAX_COUNT } from '../../sdk/index.js'
import { webBackend } from '../../sdk/runtime/web.js'
import { tinyModelBytes } from '../helpers/models.js'

const codeOf = async (f: () => unknown): Promise<string | undefined> => {
  try {
    await f()
  } catch (e) {
    return e instanceof LatentypeError ? e.code : `not typed: ${String(e)}`
  }
  return undefined
}
const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0)

describe('Generator', () => {
  let node: Generator
  let web: Generator
  const bytes = tinyModelBytes()
  beforeAll(async () => {
    node = await Generator.load(bytes)
    web = await Generator.load(bytes, { backend: webBackend() })
  }, 60_000)
  afterAll(async () => {
    await node.dispose()
    await web.dispose()
  })

  it('resolves classes by label, synonym (case-insensitive) and id; glyph case is significant', () => {
    expect(node.resolveClass('Love').label).toBe('heart')
    expect(node.resolveClass('HEART').label).toBe('heart')
    expect(node.resolveClass('A').id).toBe(2)
    expect(node.resolveClass('a').id).toBe(3)
    expect(node.resolveClass(1).label).toBe('bell')
  })

  it('unknown class → UNKNOWN_CLASS suggesting the nearest names', async () => {
    expect(await codeOf(() => node.sample({ class: 'hart' }))).toBe('UNKNOWN_CLASS')
    expect(() => node.sample({ class: 'hart' })).toThrow(/did you mean "heart"/)
  })

  it('same seed → same latents; different seed → different', () => {
    const a = node.sample({ class: 'heart', n: 3, seed: 7 })
    const b = node.sample({ class: 'heart', n: 3, seed: 7 })
    const c = node.sample({ class: 'heart', n: 3, seed: 8 })
    expect(a).toEqual(b)
    expect(a[0]).not.toEqual(c[0])
    const cold = node.sample({ class: 'heart', n: 1, seed: 7, temperature: 0.5 })[0]!
    expect(maxDiff(cold.map((v) => v * 2), a[0]!)).toBeLessThan(1e-6)
  })

  it('onnxruntime-node and onnxruntime-web (wasm) agree to ≤ 1e-5 on decode and encode', async () => {
    const z = node.sample({ class: 'bell', n: 5, seed: 3, temperature: 2 })
    const [bn, bw] = [await node.decode(z, 'bell'), await web.decode(z, 'bell')]
    expect(web.backend).toBe('onnxruntime-web/wasm')
    bn.forEach((b, i) => expect(maxDiff(b.data, bw[i]!.data)).toBeLessThanOrEqual(1e-5))
    const [pn, pw] = [await node.encode(bn[0]!, 'bell'), await web.encode(bn[0]!, 'bell')]
    expect(maxDiff(pn.mu, pw.mu)).toBeLessThanOrEqual(1e-5)
    expect(maxDiff(pn.logvar, pw.logvar)).toBeLessThanOrEqual(1e-5)
  })

  it('decodes bitmaps of the card size with coverage in 0..1; class changes the output', async () => {
    const z = node.sample({ class: 0, n: 2, seed: 1 })
    const [h, b] = [await node.decode(z, 'heart'), await node.decode(z, 'bell')]
    expect(h[0]!.width).toBe(16)
    expect(h[0]!.data.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(maxDiff(h[0]!.data, b[0]!.data)).toBeGreaterThan(1e-4)
    const g = await node.generate({ class: 'heart', n: 2, seed: 1 })
    expect(maxDiff(g.bitmaps[1]!.data, h[1]!.data)).toBe(0)
  })

  it('n ≤ 0, fractional or absurdly large → BAD_COUNT naming the cap', async () => {
    expect(await codeOf(() => node.sample({ class: 0, n: 0 }))).toBe('BAD_COUNT')
    expect(await codeOf(() => node.sample({ class: 0, n: -3 }))).toBe('BAD_COUNT')
    expect(await codeOf(() => node.sample({ class: 0, n: 1.5 }))).toBe('BAD_COUNT')
    expect(() => node.sample({ class: 0, n: 1e9 })).toThrow(new RegExp(String(MAX_COUNT)))
  })

  it('NaN/Inf or wrong-length latents → BAD_LATENT', async () => {
    expect(await codeOf(() => node.decode([Float32Array.of(0, NaN, 0, 0)], 0))).toBe('BAD_LATENT')
    expect(await codeOf(() => node.decode([Float32Array.of(0, 0, Infinity, 0)], 0))).toBe('BAD_LATENT')
    expect(await codeOf(() => node.decode([new Float32Array(5)], 0))).toBe('BAD_LATENT')
    await expect(node.decode([new Float32Array(5)], 0)).rejects.toThrow(/latent size is 4/)
  })

  it('encode refuses a bitmap of the wrong size or range → BAD_BITMAP', async () => {
    expect(await codeOf(() => node.encode(createBitmap(64, 64), 'heart'))).toBe('BAD_BITMAP')
    const b = createBitmap(16, 16)
    b.data[0] = 3
    expect(await codeOf(() => node.encode(b, 'heart'))).toBe('BAD_BITMAP')
  })

  it('interpolate includes both ends; transfer decodes one style for several classes', async () => {
    const [a, b] = node.sample({ class: 0, n: 2, seed: 5 })
    const path = node.interpolate(a!, b!, 5)
    expect(path).toHaveLength(5)
    expect(maxDiff(path[0]!, a!)).toBe(0)
    expect(maxDiff(path[4]!, b!)).toBeLessThan(1e-6)
    const src = (await node.decode([a!], 'A'))[0]!
    const out = await node.transfer(src, 'A', ['a', 'heart'])
    expect(out.map((o) => o.class.label)).toEqual(['a', 'heart'])
    const { mu } = await node.encode(src, 'A')
    expect(maxDiff(out[0]!.bitmap.data, (await node.decode([mu], 'a'))[0]!.data)).toBe(0)
  })
})
