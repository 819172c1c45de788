/**
 * Seeded pseudo-random numbers, identical in every JavaScript engine.
 *
 * Algorithm (documented so other implementations can reproduce it):
 * - Seeding: the seed (any integer, taken modulo 2^32) drives SplitMix32 —
 *   `s += 0x9e3779b9; z = s; z = (z ^ z>>>16) * 0x21f0aaad; z = (z ^ z>>>15) * 0x735a2d97; z ^= z>>>15`
 *   (32-bit arithmetic via Math.imul) — four times to fill the state of xoshiro128**.
 * - Uniforms: xoshiro128** 32-bit outputs; `uniform()` = (u >>> 8) / 2^24, in [0, 1), exact in float32.
 * - Normals: Box–Muller in float64 on two uniforms u1, u2 (u1 replaced by 2^-25 when 0):
 *   r = sqrt(-2 ln u1), n1 = r cos(2π u2), n2 = r sin(2π u2); returned in that order.
 *   V8 implements Math.log/cos/sin/sqrt with the same fdlibm code everywhere, so Node and Chromium agree bit for bit.
 *
 * @example
 * ```ts
 * const rng = new Rng(7)
 * const z = rng.normals(16) // Float32Array
 * ```
 */
export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number
  private spare: number | undefined

  constructor(seed: number) {
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
      return (z ^ (z >>> 15)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1) with 24 bits of precision. */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** Standard normal (Box–Muller pairs, see the class doc). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare
      this.spare = undefined
      return v
    }
    let u1 = this.uniform()
    if (u1 === 0) u1 = 2 ** -25
    const u2 = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spare = r * Math.sin(2 * Math.PI * u2)
    return r * Math.cos(2 * Math.PI * u2)
  }

  /** n standard normals scaled by `scale`, as float32. */
  normals(n: number, scale = 1): Float32Array {
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale
    return out
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = items[i]!
      items[i] = items[j]!
      items[j] = t
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
