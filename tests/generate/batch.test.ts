/** The Generator's flat batches: the same numbers as per-latent decode/encode, across chunk boundaries, with typed errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator, LatentypeError } from '../../sdk/index.js'
import { BATCH_CHUNK } from '../../sdk/generate/generator.js'
import { Rng } from '../../sdk/random.js'
import { tinyModelBytes } from '../helpers/models.js'

const codeOf = async (f: () => Promise<unknown>): Promise<string | undefined> => {
  try {
    await f()
  } catch (e) {
    return e instanceof LatentypeError ? e.code : `not typed: ${String(e)}`
  }
  return undefined
}

describe('Generator flat batches', () => {
  let gen: Generator
  beforeAll(async () => {
    gen = await Generator.load(tinyModelBytes(4))
  }, 60_000)
  afterAll(async () => {
    await gen.dispose()
  })

  it('decodeBatch and encodeBatch give what decode and encode give, item by item, past one chunk', async () => {
    const L = gen.card.latentSize
    const px = gen.card.imageSize ** 2
    const K = gen.classes.length
    const n = BATCH_CHUNK + 5
    const z = new Rng(3).normals(n * L)
    const ids = Int32Array.from({ length: n }, (_, i) => (i * 7) % K)
    const images = await gen.decodeBatch(z, ids, n)
    expect(images).toHaveLength(n * px)
    for (const i of [0, 1, BATCH_CHUNK - 1, BATCH_CHUNK, n - 1]) {
      const [one] = await gen.decode([z.slice(i * L, (i + 1) * L)], ids[i]!)
      expect(images.subarray(i * px, (i + 1) * px)).toEqual(one!.data)
    }
    const post = await gen.encodeBatch(images, ids, n)
    expect(post.mu).toHaveLength(n * L)
    for (const i of [0, BATCH_CHUNK, n - 1]) {
      const one = await gen.encode({ width: gen.card.imageSize, height: gen.card.imageSize, data: images.slice(i * px, (i + 1) * px) }, ids[i]!)
      expect(post.mu.subarray(i * L, (i + 1) * L)).toEqual(one.mu)
      expect(post.logvar.subarray(i * L, (i + 1) * L)).toEqual(one.logvar)
    }
    // each item is decoded as its own class
    const asOther = await gen.decodeBatch(z.subarray(0, L), [1], 1)
    expect(asOther).not.toEqual(images.subarray(0, px))
  }, 60_000)

  it('refuses wrong sizes, counts and class ids with typed errors', async () => {
    const L = gen.card.latentSize
    const px = gen.card.imageSize ** 2
    expect(await codeOf(() => gen.decodeBatch(new Float32Array(2 * L - 1), [0, 0], 2))).toBe('BAD_LATENT')
    expect(await codeOf(() => gen.decodeBatch(new Float32Array(L), [gen.classes.length], 1))).toBe('UNKNOWN_CLASS')
    expect(await codeOf(() => gen.decodeBatch(new Float32Array(L), [0.5], 1))).toBe('UNKNOWN_CLASS')
    expect(await codeOf(() => gen.decodeBatch(new Float32Array(2 * L), [0], 2))).toBe('BAD_ARGUMENT')
    expect(await codeOf(() => gen.decodeBatch(new Float32Array(0), [], 0))).toBe('BAD_COUNT')
    expect(await codeOf(() => gen.encodeBatch(new Float32Array(px + 1), [0], 1))).toBe('BAD_BITMAP')
    expect(await codeOf(() => gen.encodeBatch(new Float32Array(px).fill(2), [0], 1))).toBe('BAD_BITMAP')
    const gone = await Generator.load(tinyModelBytes(4))
    await gone.dispose()
    expect(await codeOf(() => gone.decodeBatch(new Float32Array(L), [0], 1))).toBe('DISPOSED')
  }, 60_000)
})
