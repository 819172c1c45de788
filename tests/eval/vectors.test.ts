/**
 * Crispness, traced-vector counts and the path filler on shapes with known answers: a ring has one part and one
 * hole, a speck of 3×2 px is a stray part, grey washes count as grey ink, a filled traced square covers its area.
 */
import { describe, expect, it } from 'vitest'
import { crispness } from '../../sdk/eval/crispness.js'
import { binaryIou, fillCoverage, fillMask } from '../../sdk/eval/path-raster.js'
import { topologyMatch, tracedShape, traceAll, vectorStats } from '../../sdk/eval/vectors.js'
import { traceCubics } from '../../sdk/image/trace.js'

const S = 64
function draw(fn: (x: number, y: number) => boolean): Float32Array {
  const d = new Float32Array(S * S)
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) d[y * S + x] = fn(x + 0.5, y + 0.5) ? 1 : 0
  return d
}
const ring = draw((x, y) => Math.hypot(x - 32, y - 32) < 20 && Math.hypot(x - 32, y - 32) > 12)
const disc = draw((x, y) => Math.hypot(x - 32, y - 32) < 20)
const ringWithSpeck = draw((x, y) => (Math.hypot(x - 32, y - 32) < 20 && Math.hypot(x - 32, y - 32) > 12) || (x > 4 && x < 7 && y > 4 && y < 6))

describe('crispness', () => {
  it('hard ink has no grey; a wash at 0.5 is all grey with 1 bit of entropy per pixel', () => {
    expect(crispness(disc, 1, S * S).greyShare).toBe(0)
    expect(crispness(disc, 1, S * S).entropy).toBe(0)
    const wash = new Float32Array(S * S).fill(0.5)
    expect(crispness(wash, 1, S * S)).toMatchObject({ greyShare: 1, entropy: 1 })
    // uint8 input reads as coverage: 255 ink, 128 grey, 20 paper (below 0.15)
    const u = Uint8Array.from([255, 255, 128, 20])
    expect(crispness(u, 1, 4).greyShare).toBeCloseTo(1 / 3, 12)
  })
})

describe('traced vectors', () => {
  it('counts parts, holes and stray specks of the shipped tracer', () => {
    expect(tracedShape({ width: S, height: S, data: ring })).toMatchObject({ parts: 1, holes: 1, stray: 0 })
    expect(tracedShape({ width: S, height: S, data: disc })).toMatchObject({ parts: 1, holes: 0, stray: 0 })
    expect(tracedShape({ width: S, height: S, data: ringWithSpeck })).toMatchObject({ parts: 2, holes: 1, stray: 1 })
    const stats = vectorStats(traceAll(Float32Array.of(...ring, ...ringWithSpeck), 2, S))
    expect(stats).toMatchObject({ strayShare: 0.5, meanParts: 1.5, meanHoles: 1 })
  })

  it('outline wobble: a lumpy ring needs more traced curves per 100 px of outline than a smooth one', () => {
    // anti-aliased (8×8 supersampled) rings; the lumpy one's radii wobble by ±0.8 px, 14 times round
    const aa = (inside: (x: number, y: number) => boolean): Float32Array => {
      const d = new Float32Array(S * S)
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
        let hits = 0
        for (let k = 0; k < 64; k++) if (inside(x + ((k % 8) + 0.5) / 8, y + (Math.floor(k / 8) + 0.5) / 8)) hits++
        d[y * S + x] = hits / 64
      }
      return d
    }
    const ringAt = (wobble: number) => aa((x, y) => {
      const r = Math.hypot(x - 32, y - 32)
      const w = wobble * Math.sin(14 * Math.atan2(y - 32, x - 32))
      return r < 22 + w && r > 12 - w
    })
    const smooth = vectorStats(traceAll(ringAt(0), 1, S)).curvesPer100px
    const lumpy = vectorStats(traceAll(ringAt(0.8), 1, S)).curvesPer100px
    console.log(`curves per 100 px: smooth ${smooth.toFixed(2)}, lumpy ${lumpy.toFixed(2)}`)
    expect(smooth).toBeGreaterThan(0)
    expect(lumpy).toBeGreaterThan(smooth * 1.5)
  })

  it('per-class topology match: 0 for the same distribution, 1 for disjoint counts', () => {
    const shapes = traceAll(Float32Array.of(...ring, ...disc), 2, S)
    const same = topologyMatch([shapes[0]!, shapes[1]!], [0, 1], [shapes[0]!, shapes[1]!], [0, 1], ['ring', 'disc'])
    expect([same.partsTv, same.holesTv, same.classes]).toEqual([0, 0, 2])
    const swapped = topologyMatch([shapes[1]!, shapes[0]!], [0, 1], [shapes[0]!, shapes[1]!], [0, 1], ['ring', 'disc'])
    expect([swapped.partsTv, swapped.holesTv]).toEqual([0, 1])
    expect(swapped.worst[0]).toMatchObject({ tv: 0.5, holes: [0, 1] })
  })

  it('fills traced outlines at 4× with the hole left open (IoU with the analytic ring ≥ 0.97)', () => {
    const mask = fillMask(traceCubics({ width: S, height: S, data: ring }), 256, 4)
    const truth = Uint8Array.from({ length: 256 * 256 }, (_, i) => {
      const r = Math.hypot((i % 256) + 0.5 - 128, Math.floor(i / 256) + 0.5 - 128)
      return r < 80 && r > 48 ? 1 : 0
    })
    expect(binaryIou(mask, truth)).toBeGreaterThan(0.97)
    expect(mask[128 * 256 + 128]).toBe(0) // the hole
    const cov = fillCoverage(traceCubics({ width: S, height: S, data: disc }), S, 1)
    const area = cov.data.reduce((a, v) => a + v, 0)
    expect(area).toBeGreaterThan(Math.PI * 400 * 0.97)
    expect(area).toBeLessThan(Math.PI * 400 * 1.03)
  })
})
