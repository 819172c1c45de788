import { describe, expect, it } from 'vitest'
import { Rng } from '../sdk/random.js'

describe('Rng (documented algorithm: SplitMix32 seeding → xoshiro128**, Box–Muller normals)', () => {
  // Known answers from an independent C implementation of the documented algorithm (xoshiro128** reference
  // next(), SplitMix32 seeding, Box–Muller in double with glibc libm): tests/fixtures/random/reference.c.
  const C_REFERENCE: Record<number, { uint32: number[]; normals: number[] }> = {
    42: {
      uint32: [660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677, 3123505064, 1891482476],
      normals: [1.1422245507538038, -1.5620167600936521, 0.67118694642413579, 2.7522545890718106, 0.82270967389881433, -0.75798080448897165, -0.74278906645957232, 0.29196029498290155],
    },
    1: {
      uint32: [393288148, 2174103013, 3814759091, 2092745082, 1865176206, 2179171167, 3207394750, 2858353069],
      normals: [-2.1849639522105231, -0.085129061346429502, -0.48540248619699833, 0.0389534642031669, -1.2901917751765897, -0.059851143274966316, -0.38688029016367581, -0.65900958642490282],
    },
    7: {
      uint32: [210494603, 711084892, 3993689120, 4089369890, 1706118055, 2746022466, 1316796690, 458993998],
      normals: [1.2426817321155472, 2.1183063625443488, 0.36426710682838509, -0.11298930229774923, -0.87037264939239722, -1.0435028681241345, 1.2038675682944846, 0.95665391482785445],
    },
    4294967295: {
      uint32: [4104197751, 1825856343, 1152209388, 2427537429, 3685145430, 609215610, 4161674276, 1502890106],
      normals: [-0.26868596397717998, 0.13665726982666027, -1.487948067526399, -0.64617043230718429, 0.34779570637417095, 0.43047194417240964, -0.1474913297248687, 0.20322224265135075],
    },
  }

  for (const [seed, ref] of Object.entries(C_REFERENCE)) {
    it(`seed ${seed}: uint32s and normals match the C reference`, () => {
      const r = new Rng(Number(seed))
      expect(Array.from({ length: 8 }, () => r.nextUint32())).toEqual(ref.uint32)
      // float64 normals: V8's fdlibm and glibc's libm agree to an ulp or two, nowhere near a wrong formula
      const n = new Rng(Number(seed))
      const got = Array.from({ length: 8 }, () => n.normal())
      got.forEach((v, i) => expect(Math.abs(v - ref.normals[i]!), `normal ${i}`).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, Math.abs(ref.normals[i]!))))
      // the float32 latents Generator.sample returns: the C doubles rounded to float32, exactly
      expect(Array.from(new Rng(Number(seed)).normals(8))).toEqual(ref.normals.map(Math.fround))
      expect(Array.from(new Rng(Number(seed)).normals(8, 0.5))).toEqual(ref.normals.map((v) => Math.fround(v * 0.5)))
    })
  }

  it('uniform() is the top 24 bits of the C reference uint32s', () => {
    const r = new Rng(42)
    expect(Array.from({ length: 8 }, () => r.uniform())).toEqual(C_REFERENCE[42]!.uint32.map((u) => (u >>> 8) / 2 ** 24))
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
    expect(new Rng(-1).nextUint32()).toBe(4104197751) // −1 mod 2^32 = 4294967295 (C reference)
    const a = Array.from({ length: 50 }, (_, i) => i)
    new Rng(3).shuffle(a)
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
