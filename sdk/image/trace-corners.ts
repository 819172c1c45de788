import type { Point } from './trace-contours.js'
import { normalize } from './trace-fit.js'

/**
 * Arc-length helpers and corner handling for closed polylines, used by the tracer before curve fitting.
 */
export class ClosedPolyline {
  readonly points: Point[]
  /** `arc[i]` = length from point 0 to point i; `arc[n]` = perimeter. */
  readonly arc: number[]

  constructor(points: Point[]) {
    this.points = points
    this.arc = [0]
    for (let i = 1; i <= points.length; i++) {
      const a = points[i - 1]!
      const b = points[i % points.length]!
      this.arc.push(this.arc[i - 1]! + Math.hypot(b.x - a.x, b.y - a.y))
    }
  }

  get perimeter(): number {
    return this.arc[this.points.length]!
  }

  /** The point at arc length `s` from point 0 (wrapping around), interpolated along the polyline. */
  at(s: number): Point {
    const per = this.perimeter
    let t = per > 0 ? s % per : 0
    if (t < 0) t += per
    let lo = 0
    let hi = this.points.length
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (this.arc[mid]! <= t) lo = mid
      else hi = mid
    }
    const a = this.points[lo]!
    const b = this.points[(lo + 1) % this.points.length]!
    const len = this.arc[lo + 1]! - this.arc[lo]!
    const f = len > 0 ? (t - this.arc[lo]!) / len : 0
    return { x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y) }
  }

  /** Unsigned arc distance between points i and j the short way round. */
  gap(i: number, j: number): number {
    const d = Math.abs(this.arc[i]! - this.arc[j]!)
    return Math.min(d, this.perimeter - d)
  }
}

/**
 * Indices of corners: points where the direction turns by more than `angle` radians between the chords to
 * the points `reach` pixels before and after, keeping the sharpest turn among corners closer than `separation`
 * pixels (along the contour) to each other.
 * Sorted ascending.
 */
export function findCorners(line: ClosedPolyline, angle: number, reach: number, separation: number): number[] {
  const n = line.points.length
  const r = Math.min(reach, line.perimeter / 4)
  const candidates: { i: number; turn: number }[] = []
  for (let i = 0; i < n; i++) {
    const p = line.points[i]!
    const b = line.at(line.arc[i]! - r)
    const f = line.at(line.arc[i]! + r)
    const v1x = p.x - b.x, v1y = p.y - b.y
    const v2x = f.x - p.x, v2y = f.y - p.y
    const turn = Math.abs(Math.atan2(v1x * v2y - v1y * v2x, v1x * v2x + v1y * v2y))
    if (turn >= angle) candidates.push({ i, turn })
  }
  candidates.sort((a, b) => b.turn - a.turn || a.i - b.i)
  const corners: number[] = []
  for (const c of candidates) {
    if (corners.every((k) => line.gap(k, c.i) >= separation)) corners.push(c.i)
  }
  corners.sort((a, b) => a - b)
  return dropRoundEnds(line, corners, reach)
}

/**
 * Removes runs of three or more corners that follow each other within `reach` px: that is a small round end
 * (a stroke cap, a dot) turning steadily, not a sharp corner. Two close corners (a slot's flat end) stay.
 */
function dropRoundEnds(line: ClosedPolyline, corners: number[], reach: number): number[] {
  const m = corners.length
  if (m < 3) return corners
  const close = corners.map((c, k) => line.gap(c, corners[(k + 1) % m]!) < reach)
  if (close.every(Boolean)) return []
  const drop = new Array<boolean>(m).fill(false)
  const start = close.indexOf(false) + 1
  for (let k = 0; k < m; ) {
    let len = 1
    while (len < m && close[(start + k + len - 1) % m]) len++
    if (len >= 3) for (let j = 0; j < len; j++) drop[(start + k + j) % m] = true
    k += len
  }
  return corners.filter((_, k) => !drop[k])
}

/**
 * Moves each corner to where the straight runs on either side of it meet (a marching-squares corner is cut
 * off by a diagonal; this restores the sharp point), unless that point is more than `maxShift` px away.
 * Each run is sampled no further than a third of the way to the neighbouring corner.
 */
export function sharpenCorners(line: ClosedPolyline, corners: readonly number[], reach: number, maxShift: number): Point[] {
  const pts = line.points.slice()
  const m = corners.length
  corners.forEach((i, k) => {
    const s = line.arc[i]!
    const back = Math.min(reach, (m > 1 ? line.gap(i, corners[(k + m - 1) % m]!) : line.perimeter / 2) / 3)
    const fwd = Math.min(reach, (m > 1 ? line.gap(i, corners[(k + 1) % m]!) : line.perimeter / 2) / 3)
    if (back < 0.9 || fwd < 0.9) return
    const b2 = line.at(s - 2 * back), b1 = line.at(s - back)
    const f1 = line.at(s + fwd), f2 = line.at(s + 2 * fwd)
    const d1 = { x: b1.x - b2.x, y: b1.y - b2.y }
    const d2 = { x: f2.x - f1.x, y: f2.y - f1.y }
    const den = d1.x * d2.y - d1.y * d2.x
    if (Math.abs(den) < 1e-9) return
    const t = ((f1.x - b2.x) * d2.y - (f1.y - b2.y) * d2.x) / den
    const q = { x: b2.x + t * d1.x, y: b2.y + t * d1.y }
    const p = pts[i]!
    if (Math.hypot(q.x - p.x, q.y - p.y) <= maxShift) pts[i] = q
  })
  return pts
}

/** `passes` rounds of [1 2 1]/4 smoothing of a closed polyline; the points at `fixed` indices do not move. */
export function smoothClosed(points: Point[], fixed: readonly number[], passes: number): Point[] {
  const keep = new Set(fixed)
  let pts = points
  const n = pts.length
  for (let pass = 0; pass < passes && n >= 5; pass++) {
    const prev = pts
    pts = prev.map((p, i) => {
      if (keep.has(i)) return p
      const a = prev[(i + n - 1) % n]!
      const c = prev[(i + 1) % n]!
      return { x: (a.x + 2 * p.x + c.x) / 4, y: (a.y + 2 * p.y + c.y) / 4 }
    })
  }
  return pts
}

/** Unit direction from point `from` of an open run towards the point `reach` px along it (by arc length). */
export function tangentInto(run: readonly Point[], reach: number, fromEnd: boolean): Point {
  const n = run.length
  const at = (k: number): Point => run[fromEnd ? n - 1 - k : k]!
  const origin = at(0)
  let travelled = 0
  let target = at(Math.min(1, n - 1))
  for (let k = 1; k < n; k++) {
    travelled += Math.hypot(at(k).x - at(k - 1).x, at(k).y - at(k - 1).y)
    target = at(k)
    if (travelled >= reach) break
  }
  return normalize({ x: target.x - origin.x, y: target.y - origin.y })
}
