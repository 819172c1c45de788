import type { Point } from './trace-contours.js'

/** A cubic Bézier segment: start, first control, second control, end. */
export type Cubic = readonly [Point, Point, Point, Point]

const MAX_DEPTH = 16
const NEWTON_ROUNDS = 4

/**
 * Least-squares cubic Bézier fit of an open polyline (after P. J. Schneider, "An Algorithm for Automatically
 * Fitting Digitized Curves", Graphics Gems, 1990): fit one cubic with the given end tangents and chord-length
 * parameters, refine the parameters by Newton–Raphson when close, otherwise split at the worst point and
 * recurse with a shared tangent there (so the joins stay smooth). Every input point ends up within `tolerance`
 * pixels of the curve (measured at its parameter).
 *
 * `startTangent` points from the first point into the curve; `endTangent` from the last point back into it.
 *
 * @example
 * ```ts
 * const cubics = fitCubics(points, { x: 1, y: 0 }, { x: -1, y: 0 }, 0.35)
 * ```
 */
export function fitCubics(points: readonly Point[], startTangent: Point, endTangent: Point, tolerance: number): Cubic[] {
  const out: Cubic[] = []
  fit(points, startTangent, endTangent, tolerance * tolerance, out, 0)
  return out
}

function fit(pts: readonly Point[], t1: Point, t2: Point, tol2: number, out: Cubic[], depth: number): void {
  const n = pts.length
  const first = pts[0]!
  const last = pts[n - 1]!
  if (n <= 2) {
    const d = dist(first, last) / 3
    out.push([first, add(first, t1, d), add(last, t2, d), last])
    return
  }
  let u = chordParameters(pts)
  let bez = generate(pts, u, t1, t2)
  let [err, split] = maxError(pts, bez, u)
  if (err <= tol2) {
    out.push(bez)
    return
  }
  if (err <= tol2 * 4) {
    for (let round = 0; round < NEWTON_ROUNDS; round++) {
      u = reparameterize(pts, u, bez)
      bez = generate(pts, u, t1, t2)
      ;[err, split] = maxError(pts, bez, u)
      if (err <= tol2) {
        out.push(bez)
        return
      }
    }
  }
  if (depth >= MAX_DEPTH || n <= 3) {
    for (let i = 0; i + 1 < n; i++) out.push(lineCubic(pts[i]!, pts[i + 1]!))
    return
  }
  const before = pts[Math.max(0, split - 2)]!
  const after = pts[Math.min(n - 1, split + 2)]!
  let center = normalize({ x: before.x - after.x, y: before.y - after.y })
  if (center.x === 0 && center.y === 0) center = normalize({ x: pts[split - 1]!.y - pts[split]!.y, y: pts[split]!.x - pts[split - 1]!.x })
  fit(pts.slice(0, split + 1), t1, center, tol2, out, depth + 1)
  fit(pts.slice(split), { x: -center.x, y: -center.y }, t2, tol2, out, depth + 1)
}

/** A cubic that is a straight line (control points at the thirds). */
export function lineCubic(a: Point, b: Point): Cubic {
  return [a, { x: a.x + (b.x - a.x) / 3, y: a.y + (b.y - a.y) / 3 }, { x: a.x + (2 * (b.x - a.x)) / 3, y: a.y + (2 * (b.y - a.y)) / 3 }, b]
}

function chordParameters(pts: readonly Point[]): number[] {
  const u = [0]
  for (let i = 1; i < pts.length; i++) u.push(u[i - 1]! + dist(pts[i]!, pts[i - 1]!))
  const total = u[u.length - 1]!
  return total > 0 ? u.map((v) => v / total) : u.map((_, i) => i / (pts.length - 1))
}

/** Least-squares lengths of the two tangent handles, with Schneider's fallback to a third of the chord. */
function generate(pts: readonly Point[], u: readonly number[], t1: Point, t2: Point): Cubic {
  const first = pts[0]!
  const last = pts[pts.length - 1]!
  let c00 = 0, c01 = 0, c11 = 0, x0 = 0, x1 = 0
  for (let i = 0; i < pts.length; i++) {
    const t = u[i]!
    const s = 1 - t
    const b0 = s * s * s, b1 = 3 * t * s * s, b2 = 3 * t * t * s, b3 = t * t * t
    const a1x = t1.x * b1, a1y = t1.y * b1
    const a2x = t2.x * b2, a2y = t2.y * b2
    c00 += a1x * a1x + a1y * a1y
    c01 += a1x * a2x + a1y * a2y
    c11 += a2x * a2x + a2y * a2y
    const rx = pts[i]!.x - (first.x * (b0 + b1) + last.x * (b2 + b3))
    const ry = pts[i]!.y - (first.y * (b0 + b1) + last.y * (b2 + b3))
    x0 += a1x * rx + a1y * ry
    x1 += a2x * rx + a2y * ry
  }
  const det = c00 * c11 - c01 * c01
  const chord = dist(first, last)
  let alpha1 = det !== 0 ? (x0 * c11 - x1 * c01) / det : 0
  let alpha2 = det !== 0 ? (c00 * x1 - c01 * x0) / det : 0
  const eps = 1e-6 * chord
  if (alpha1 <= eps || alpha2 <= eps || alpha1 > 2 * chord || alpha2 > 2 * chord) alpha1 = alpha2 = chord / 3
  return [first, add(first, t1, alpha1), add(last, t2, alpha2), last]
}

function maxError(pts: readonly Point[], bez: Cubic, u: readonly number[]): [number, number] {
  let worst = 0
  let split = Math.floor(pts.length / 2)
  for (let i = 1; i < pts.length - 1; i++) {
    const q = evaluate(bez, u[i]!)
    const d = (q.x - pts[i]!.x) ** 2 + (q.y - pts[i]!.y) ** 2
    if (d > worst) {
      worst = d
      split = i
    }
  }
  return [worst, split]
}

/** One Newton–Raphson step per point towards the parameter of its closest point on the curve. */
function reparameterize(pts: readonly Point[], u: readonly number[], bez: Cubic): number[] {
  return u.map((t, i) => {
    const p = pts[i]!
    const q = evaluate(bez, t)
    const d1 = derivative(bez, t)
    const d2 = secondDerivative(bez, t)
    const num = (q.x - p.x) * d1.x + (q.y - p.y) * d1.y
    const den = d1.x * d1.x + d1.y * d1.y + (q.x - p.x) * d2.x + (q.y - p.y) * d2.y
    if (den === 0 || !Number.isFinite(den)) return t
    return Math.min(1, Math.max(0, t - num / den))
  })
}

/** Point on a cubic at parameter t. */
export function evaluate(b: Cubic, t: number): Point {
  const s = 1 - t
  const w0 = s * s * s, w1 = 3 * t * s * s, w2 = 3 * t * t * s, w3 = t * t * t
  return { x: w0 * b[0].x + w1 * b[1].x + w2 * b[2].x + w3 * b[3].x, y: w0 * b[0].y + w1 * b[1].y + w2 * b[2].y + w3 * b[3].y }
}

function derivative(b: Cubic, t: number): Point {
  const s = 1 - t
  const w0 = 3 * s * s, w1 = 6 * s * t, w2 = 3 * t * t
  return {
    x: w0 * (b[1].x - b[0].x) + w1 * (b[2].x - b[1].x) + w2 * (b[3].x - b[2].x),
    y: w0 * (b[1].y - b[0].y) + w1 * (b[2].y - b[1].y) + w2 * (b[3].y - b[2].y),
  }
}

function secondDerivative(b: Cubic, t: number): Point {
  const s = 1 - t
  return {
    x: 6 * s * (b[2].x - 2 * b[1].x + b[0].x) + 6 * t * (b[3].x - 2 * b[2].x + b[1].x),
    y: 6 * s * (b[2].y - 2 * b[1].y + b[0].y) + 6 * t * (b[3].y - 2 * b[2].y + b[1].y),
  }
}

/** Euclidean distance. */
export function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

/** Unit vector (zero stays zero). */
export function normalize(v: Point): Point {
  const len = Math.hypot(v.x, v.y)
  return len > 0 ? { x: v.x / len, y: v.y / len } : { x: 0, y: 0 }
}

function add(p: Point, dir: Point, len: number): Point {
  return { x: p.x + dir.x * len, y: p.y + dir.y * len }
}
