/**
 * opentype.js path commands → SVG path data, written here instead of with `Path.toPathData`.
 *
 * opentype.js 2.0.0 (and 1.3.5) round with `Math.round(frac + "e+" + places)`: when a coordinate's fractional
 * part is float noise below 1e-6 (240.00000000000003 after scaling), the string has two exponents and the
 * coordinate comes out as `NaN`. resvg stops parsing `d` at the first bad token, so the glyph silently renders
 * up to there: empty, a slash for `W`, half a `P` (upstream opentypejs/opentype.js#838, #868; fixed on master,
 * not released). `toFixed` has no such path, and non-finite input throws instead of drawing half a shape.
 */
import { LatentypeError } from '../../sdk/errors.js'

/** An opentype.js path command (absolute coordinates). */
export type PathCommand =
  | { type: 'M' | 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' }

/** One coordinate with at most `decimals` places, no trailing zeros, no exponent, no `-0`. */
export function formatCoordinate(v: number, decimals: number): string {
  if (!Number.isFinite(v)) throw new LatentypeError('BAD_DATASET', `path coordinate ${v} is not finite — the glyph outline is damaged; skip this font`)
  const s = v.toFixed(decimals)
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s
  return t === '-0' ? '0' : t
}

/** SVG path data for `commands` (absolute M/L/Q/C/Z, y already pointing down), `decimals` places per number. */
export function svgPathData(commands: readonly PathCommand[], decimals = 3): string {
  const f = (...vs: number[]): string => vs.map((v) => formatCoordinate(v, decimals)).join(' ')
  let d = ''
  for (const c of commands) {
    switch (c.type) {
      case 'M': case 'L': d += `${c.type}${f(c.x, c.y)}`; break
      case 'Q': d += `Q${f(c.x1, c.y1, c.x, c.y)}`; break
      case 'C': d += `C${f(c.x1, c.y1, c.x2, c.y2, c.x, c.y)}`; break
      case 'Z': d += 'Z'; break
      default: throw new LatentypeError('BAD_DATASET', `unknown path command ${JSON.stringify(c)} — update svgPathData for this opentype.js version`)
    }
  }
  return d
}
