import { describe, expect, it } from 'vitest'
import { Rng } from '../sdk/random.js'

describe('Rng (documented algorithm: SplitMix32 seeding → xoshiro128**, Box–Muller normals)', () => {
  it('matches known answers (checked against the C reference of xoshiro128**)', () => {
    const r = new Rng(42)
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([660444221, 3652823732, 77672526])
    expect(Array.from(new Rng(42).normals(4))).toEqual([1.1422245502471924, -1.5620167255401611, 0.6711869239807129, 2.7522544860839844])
  })

  it('normals have mean ≈ 0 and variance ≈ 1', () => {
    const z = new Rng(1).normals(100_000)
    const mean = z.reduce((a, b) => a + b, 0) / z.length
    const v = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length
    expect(Math.abs(mean)).toBeLessThan(0.02)
    expect(Math.abs(v - 1)).toBeLessThan(0.02)
  })

  it('seeds are taken modulo 2^32 and shuffle is a permutation', () => {
    expect(new Rng(2 ** 32 + 5).nextUint32()).toBe(new Rng(5).nextUint32())
    const a = Array.from({ length: 50 }, (_, i) => i)
    new Rng(3).shuffle(a)
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
