/** Generator's argument checks and interpolate's arithmetic (the paths SDK users hit with a wrong value). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator, LatentypeError } from '../../sdk/index.js'
import { tinyModelBytes } from '../helpers/models.js'

/** The error's code, or a marker when it did not throw or threw something untyped. */
async function codeOf(f: () => unknown): Promise<string> {
  try {
    await f()
  } catch (e) {
    return e instanceof LatentypeError ? e.code : `untyped: ${String(e)}`
  }
  return 'no error'
}

describe('Generator argument errors', () => {
  let gen: Generator
  beforeAll(async () => {
    gen = await Generator.load(tinyModelBytes(2))
  })
  afterAll(async () => {
    await gen.dispose()
  })

  it('temperature: 0 … 10 accepted (0 gives the prior mean), anything else → BAD_ARGUMENT naming the range', async () => {
    expect(gen.sample({ class: 'heart', n: 2, seed: 1, temperature: 0 }).every((z) => z.every((v) => v === 0))).toBe(true)
    const ten = gen.sample({ class: 'heart', n: 1, seed: 1, temperature: 10 })[0]!
    const one = gen.sample({ class: 'heart', n: 1, seed: 1, temperature: 1 })[0]!
    ten.forEach((v, i) => expect(Math.abs(v - 10 * one[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))))
    for (const t of [-0.01, 10.01, NaN, Infinity, -Infinity]) {
      expect(await codeOf(() => gen.sample({ class: 'heart', temperature: t })), `temperature ${t}`).toBe('BAD_ARGUMENT')
      expect(await codeOf(() => gen.generate({ class: 'heart', temperature: t })), `generate temperature ${t}`).toBe('BAD_ARGUMENT')
    }
    expect(() => gen.sample({ class: 'heart', temperature: 11 })).toThrow(/between 0 and 10/)
  })

  it('a fractional seed → BAD_ARGUMENT; negative and huge integer seeds are fine (mod 2^32)', async () => {
    expect(await codeOf(() => gen.sample({ class: 'heart', seed: 1.5 }))).toBe('BAD_ARGUMENT')
    expect(gen.sample({ class: 'heart', seed: -1 })).toEqual(gen.sample({ class: 'heart', seed: 2 ** 32 - 1 }))
  })

  it('one class per latent: a class list of another length → BAD_ARGUMENT naming both counts', async () => {
    const z = gen.sample({ class: 'heart', n: 3, seed: 4 })
    expect(await codeOf(() => gen.decode(z, ['heart', 'bell']))).toBe('BAD_ARGUMENT')
    expect(await codeOf(() => gen.decode(z, ['heart', 'bell', 'A', 'a']))).toBe('BAD_ARGUMENT')
    await expect(gen.decode(z, ['heart', 'bell'])).rejects.toThrow(/2 classes for 3 latents/)
    expect(await codeOf(() => gen.decode(z, ['heart', 'nope', 'A']))).toBe('UNKNOWN_CLASS')
    // the matching list decodes each latent as its own class
    const mixed = await gen.decode(z, ['heart', 'bell', 'A'])
    const each = await Promise.all(['heart', 'bell', 'A'].map(async (c, i) => (await gen.decode([z[i]!], c))[0]!))
    mixed.forEach((b, i) => expect(Array.from(b.data)).toEqual(Array.from(each[i]!.data)))
  })

  it('decode of an empty list → BAD_COUNT', async () => {
    expect(await codeOf(() => gen.decode([], 'heart'))).toBe('BAD_COUNT')
  })

  it('interpolate: steps must be an integer 2 … 256 (BAD_COUNT); latents of the wrong size → BAD_LATENT', async () => {
    const [a, b] = gen.sample({ class: 'heart', n: 2, seed: 9 })
    for (const steps of [1, 0, -2, 257, 2.5, NaN]) expect(await codeOf(() => gen.interpolate(a!, b!, steps)), `steps ${steps}`).toBe('BAD_COUNT')
    expect(() => gen.interpolate(a!, b!, 1)).toThrow(/from 2 to 256/)
    expect(gen.interpolate(a!, b!, 2)).toHaveLength(2)
    expect(gen.interpolate(a!, b!, 256)).toHaveLength(256)
    expect(await codeOf(() => gen.interpolate(a!, new Float32Array(3), 4))).toBe('BAD_LATENT')
    expect(await codeOf(() => gen.interpolate(Float32Array.of(0, NaN, 0, 0), b!, 4))).toBe('BAD_LATENT')
  })

  it("interpolate's middle points lie on the segment at k/(steps−1), evenly spaced", () => {
    const a = Float32Array.of(-2, 0, 1, 4)
    const b = Float32Array.of(2, 3, 1, -4)
    const path = gen.interpolate(a, b, 5)
    expect(path.map((z) => Array.from(z))).toEqual([
      [-2, 0, 1, 4],
      [-1, 0.75, 1, 2],
      [0, 1.5, 1, 0],
      [1, 2.25, 1, -2],
      [2, 3, 1, -4],
    ])
    // arbitrary latents: each point is a + t(b − a) to float32 precision, and consecutive steps are equal
    const [p, q] = gen.sample({ class: 'bell', n: 2, seed: 21 })
    const seven = gen.interpolate(p!, q!, 7)
    for (let k = 0; k < 7; k++) {
      const t = k / 6
      seven[k]!.forEach((v, i) => expect(Math.abs(v - (p![i]! + t * (q![i]! - p![i]!)))).toBeLessThan(1e-6))
    }
    const step = (k: number, i: number) => seven[k + 1]![i]! - seven[k]![i]!
    for (let k = 0; k < 6; k++) for (let i = 0; i < 4; i++) expect(Math.abs(step(k, i) - step(0, i))).toBeLessThan(1e-5)
  })
})
