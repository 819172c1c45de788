import { describe, expect, it } from 'vitest'
import { formatCoordinate, svgPathData } from '../../scripts/data/path-data.js'

describe('svgPathData (our replacement for opentype.js Path.toPathData)', () => {
  it('writes float-noise coordinates as plain numbers, never NaN or exponents', () => {
    // 240.00000000000003 is what a descender at -180 units becomes after scaling; opentype.js 2.0.0 writes "NaN".
    const d = svgPathData([{ type: 'M', x: 180.19644723093, y: 240.00000000000003 }, { type: 'L', x: 1e-15, y: -2.9999999999999996 }, { type: 'Q', x1: 0.5, y1: -0.0004, x: 12, y: 7.1e-15 }, { type: 'Z' }], 3)
    expect(d).toBe('M180.196 240L0 -3Q0.5 0 12 0Z')
  })

  it('rounds to the requested places and drops trailing zeros', () => {
    expect(formatCoordinate(1.23456, 2)).toBe('1.23')
    expect(formatCoordinate(-1.005, 1)).toBe('-1')
    expect(formatCoordinate(100, 3)).toBe('100')
    expect(formatCoordinate(-0.0001, 3)).toBe('0')
    expect(svgPathData([{ type: 'C', x1: 1, y1: 2.5, x2: 3.25, y2: 4, x: 5.125, y: 6 }], 2)).toBe('C1 2.5 3.25 4 5.13 6')
  })

  it('throws a typed error for non-finite coordinates instead of drawing half a shape', () => {
    expect(() => svgPathData([{ type: 'M', x: Number.NaN, y: 0 }])).toThrow(/not finite/)
  })
})
