import { describe, expect, it } from 'vitest'
import { LatentypeError } from '../../sdk/errors.js'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { isoContours, signedArea } from '../../sdk/image/trace-contours.js'
import { traceCubics, tracePath, traceToSvg } from '../../sdk/image/trace.js'
import { binarize, disc, eight, iou, padlock, rasterize, renderAlpha, ring, stroke, type Inside } from './shapes.js'

const ONLY_ABSOLUTE_MLCZ = /^(?:[MLC](?: -?\d+(?:\.\d{1,2})?)+|Z)(?: (?:[MLC](?: -?\d+(?:\.\d{1,2})?)+|Z))*$/

function subpaths(d: string): string[] {
  return d.split(/(?=M )/).filter((s) => s.trim().length > 0)
}

/** Signed area of a subpath's on-curve points (enough to tell its winding). */
function winding(sub: string): number {
  const nums = sub.match(/-?\d+(?:\.\d+)?/g)!.map(Number)
  const pts: { x: number; y: number }[] = []
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push({ x: nums[i]!, y: nums[i + 1]! })
  return signedArea(pts)
}

const shapes: [string, Inside, number, number][] = [
  // name, shape, subpaths (outline + counters), minimum IoU against the thresholded input
  ['disc', disc, 1, 0.95],
  ['ring (O)', ring, 2, 0.95],
  ['figure 8', eight, 3, 0.95],
  ['padlock', padlock, 3, 0.95],
  ['thin stroke', stroke, 1, 0.9],
]

describe('traceToSvg', () => {
  for (const [name, inside, count, minIou] of shapes) {
    for (const hard of [false, true]) {
      it(`${name} (${hard ? 'hard-edged 0/1' : 'anti-aliased'}): ${count} subpath(s), only absolute M/L/C/Z, IoU ≥ ${minIou}`, () => {
        const soft = rasterize(64, 64, inside)
        const bitmap = hard ? binarize(soft) : soft
        const svg = traceToSvg(bitmap)
        const d = /<path d="([^"]*)"/.exec(svg)![1]!
        expect(d).toMatch(ONLY_ABSOLUTE_MLCZ)
        expect(d).toMatch(/C/) // curves, not a polygon
        const subs = subpaths(d)
        expect(subs).toHaveLength(count)
        // counters wind opposite to the outline, so nonzero filling agrees with evenodd
        const signs = subs.map((s) => Math.sign(winding(s)))
        expect(signs.filter((s) => s === signs[0]).length).toBe(1)
        const { width, height, alpha } = renderAlpha(svg)
        expect([width, height]).toEqual([64, 64])
        expect(iou(bitmap, alpha)).toBeGreaterThanOrEqual(minIou)
        // the same fill with nonzero winding renders the same
        const nonzero = renderAlpha(svg.replace('fill-rule="evenodd"', 'fill-rule="nonzero"')).alpha
        expect(iou(bitmap, nonzero)).toBeCloseTo(iou(bitmap, alpha), 6)
      })
    }
  }

  it('writes a complete SVG document with viewBox = image size and the requested display size', () => {
    const b = rasterize(48, 32, (x, y) => (x - 24) ** 2 + (y - 16) ** 2 < 100)
    const svg = traceToSvg(b, { width: 96, height: 64, fill: '#1e1e1e' })
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="96" height="64" viewBox="0 0 48 32">/)
    expect(svg).toMatch(/<path d="M [^"]+Z" fill="#1e1e1e" fill-rule="evenodd"\/><\/svg>$/)
    expect(svg.match(/<path/g)).toHaveLength(1)
    expect(renderAlpha(svg).width).toBe(96)
  })

  it('keeps straight edges straight and square corners sharp', () => {
    const square = rasterize(32, 32, (x, y) => x >= 8 && x <= 24 && y >= 6 && y <= 26)
    const d = tracePath(binarize(square))
    expect(d).not.toMatch(/C/)
    const corners = new Set(d.match(/-?\d+(?:\.\d+)? -?\d+(?:\.\d+)?/g))
    for (const c of ['8 6', '24 6', '24 26', '8 26']) expect(corners).toContain(c)
  })

  it('drops specks below minArea but keeps them when minArea is 0', () => {
    const b = rasterize(64, 64, disc)
    b.data[2 * 64 + 2] = 1 // a one-pixel speck
    expect(subpaths(tracePath(b))).toHaveLength(1)
    expect(subpaths(tracePath(b, { minArea: 0 }))).toHaveLength(2)
  })

  it('is deterministic and returns an empty path for a blank bitmap', () => {
    const b = rasterize(64, 64, eight)
    expect(tracePath(b)).toBe(tracePath({ ...b, data: b.data.slice() }))
    expect(tracePath(createBitmap(16, 16))).toBe('')
  })

  it('traces ink touching the image border as closed contours', () => {
    const full = createBitmap(8, 8)
    full.data.fill(1)
    const d = tracePath(full)
    expect(subpaths(d)).toHaveLength(1)
    expect(d.match(/L/g)).toHaveLength(3)
    const points = new Set(d.match(/\d+ \d+/g))
    expect(points).toEqual(new Set(['0 0', '8 0', '8 8', '0 8']))
  })

  it('stays within tolerance: a looser tolerance gives fewer segments', () => {
    const b = rasterize(64, 64, ring)
    const tight = traceCubics(b, { tolerance: 0.1 }).flat().length
    const loose = traceCubics(b, { tolerance: 1 }).flat().length
    expect(tight).toBeGreaterThan(loose)
  })

  it('rejects bad options and malformed bitmaps with typed errors', () => {
    const b = rasterize(16, 16, (x, y) => x > 4 && y > 4)
    expect(() => tracePath(b, { tolerance: -1 })).toThrow(LatentypeError)
    expect(() => tracePath(b, { level: 2 })).toThrow(/level/)
    expect(() => traceToSvg(b, { fill: '"/><script>' })).toThrow(/fill/)
    expect(() => tracePath({ width: 4, height: 4, data: new Float32Array(3) })).toThrow(/malformed/)
    const nan = createBitmap(4, 4)
    nan.data[5] = NaN
    expect(() => tracePath(nan)).toThrow(/NaN/)
  })
})

describe('isoContours', () => {
  it('finds outline and counter of a ring with opposite windings and the expected areas', () => {
    const contours = isoContours(rasterize(64, 64, ring))
    expect(contours).toHaveLength(2)
    const [a, b] = contours.map((c) => c.area).sort((x, y) => Math.abs(y) - Math.abs(x))
    expect(Math.sign(a!)).toBe(-Math.sign(b!))
    expect(Math.abs(a!)).toBeCloseTo(Math.PI * 22 * 22, -1)
    expect(Math.abs(b!)).toBeCloseTo(Math.PI * 12 * 12, -1)
  })

  it('resolves a saddle by the cell mean: diagonal pixels join only when the mean is ink', () => {
    const apart = { width: 2, height: 2, data: new Float32Array([0.9, 0, 0, 0.9]) }
    expect(isoContours(apart)).toHaveLength(2)
    const joined = { width: 2, height: 2, data: new Float32Array([1, 0.1, 0.1, 1]) }
    expect(isoContours(joined)).toHaveLength(1)
  })
})

describe('faint specks', () => {
  /** 64² paper with a 20×20 solid square at (4,4), a dark 2×3 dot at (40,10) and a faint 3×3 blob (0.62) at (40,40). */
  function scene(): Bitmap {
    const b = createBitmap(64, 64)
    const fill = (x0: number, y0: number, w: number, h: number, v: number): void => {
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) b.data[y * 64 + x] = v
    }
    fill(4, 4, 20, 20, 1)
    fill(40, 10, 2, 3, 1)
    fill(40, 40, 3, 3, 0.62)
    // inside the square: a real 2×2 hole (paper) and a faint 3×2 dimple (0.45)
    fill(8, 8, 2, 2, 0)
    fill(16, 16, 3, 2, 0.45)
    return b
  }

  it('drops small contours of weak contrast (grey residue, dimples) and keeps small dark dots and real holes', () => {
    const kept = traceCubics(scene(), { faintArea: 0 })
    const cleaned = traceCubics(scene())
    // square, dot, blob, hole, dimple → square, dot, hole
    expect(kept).toHaveLength(5)
    expect(cleaned).toHaveLength(3)
    const centres = cleaned.map((c) => {
      const xs = c.map((k) => k[0]!.x)
      const ys = c.map((k) => k[0]!.y)
      return [Math.round(xs.reduce((a, v) => a + v, 0) / xs.length), Math.round(ys.reduce((a, v) => a + v, 0) / ys.length)]
    })
    expect(centres.some(([x, y]) => Math.abs(x! - 41) <= 2 && Math.abs(y! - 11) <= 2)).toBe(true)
    expect(centres.some(([x, y]) => Math.abs(x! - 9) <= 2 && Math.abs(y! - 9) <= 2)).toBe(true)
    expect(centres.some(([x, y]) => Math.abs(x! - 41) <= 3 && Math.abs(y! - 41) <= 3)).toBe(false)
    // a stricter margin drops nothing more here; margin 0 keeps everything
    expect(traceCubics(scene(), { faintMargin: 0 })).toHaveLength(5)
  })
})
