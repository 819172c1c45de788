/**
 * Clean vectors: what the plugin inserts is the traced outline, so every image is traced with the
 * shipped tracer (sdk/image/trace.ts, default options) and its contours are counted: parts (ink islands), holes
 * (counters) and stray parts — islands or pinholes of 2–8 px² at 64² that the tracer keeps (it drops < 2 px²) and
 * a designer has to delete by hand. Broken strokes show up as extra parts, closed counters as missing holes.
 *
 * @example
 * ```ts
 * const t = tracedShape({ width: 64, height: 64, data }) // { parts: 1, holes: 2, stray: 0, contours: [...] }
 * ```
 */
import type { Bitmap } from '../image/bitmap.js'
import { traceCubics } from '../image/trace.js'
import type { Cubic } from '../image/trace-fit.js'

/** Traced contours enclosing at most this many px² (at the image's own size) are stray. */
export const STRAY_MAX_AREA = 8

export interface TracedShape {
  /** Outer contours (ink islands, including islands inside a counter). */
  parts: number
  holes: number
  /** Contours (either kind) of at most {@link STRAY_MAX_AREA} px². */
  stray: number
  /** The traced curves, as the plugin inserts them (image pixel coordinates). */
  contours: Cubic[][]
}

/** Points along a closed cubic contour: its start, then each curve sampled at 8 steps (x, y pairs). */
function contourPoints(cubics: readonly Cubic[]): Float64Array {
  const pts = new Float64Array(2 * (8 * cubics.length + 1))
  let n = 0
  if (cubics.length) {
    pts[n++] = cubics[0]![0].x
    pts[n++] = cubics[0]![0].y
  }
  for (const [p0, p1, p2, p3] of cubics) {
    for (let k = 1; k <= 8; k++) {
      const t = k / 8
      const u = 1 - t
      pts[n++] = u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x
      pts[n++] = u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y
    }
  }
  return pts.subarray(0, n)
}

/** Signed area of a closed cubic contour (shoelace over its sampled points, as signedArea in trace-contours.ts). */
export function contourArea(cubics: readonly Cubic[]): number {
  const p = contourPoints(cubics)
  let a = 0
  for (let i = 2; i < p.length; i += 2) a += p[i - 2]! * p[i + 1]! - p[i]! * p[i - 1]!
  return a / 2
}

/** Length of a closed cubic contour (over its sampled points). */
export function contourLength(cubics: readonly Cubic[]): number {
  const p = contourPoints(cubics)
  let len = 0
  for (let i = 2; i < p.length; i += 2) len += Math.hypot(p[i]! - p[i - 2]!, p[i + 1]! - p[i - 1]!)
  return len
}

/** Traces one coverage bitmap with the shipped tracer and counts its parts, holes and stray contours. */
export function tracedShape(bitmap: Bitmap): TracedShape {
  const contours = traceCubics(bitmap)
  let parts = 0
  let holes = 0
  let stray = 0
  for (const c of contours) {
    const area = contourArea(c)
    // isoContours walks outer boundaries counter-clockwise on screen (negative area), holes clockwise
    if (area < 0) parts++
    else holes++
    if (Math.abs(area) <= STRAY_MAX_AREA) stray++
  }
  return { parts, holes, stray, contours }
}

/** {@link tracedShape} of each of `n` S×S images (coverage floats, or uint8 0..255). */
export function traceAll(images: Float32Array | Uint8Array, n: number, S: number): TracedShape[] {
  const scale = images instanceof Uint8Array ? 1 / 255 : 1
  const px = S * S
  return Array.from({ length: n }, (_, i) => tracedShape({ width: S, height: S, data: Float32Array.from(images.subarray(i * px, (i + 1) * px), (v) => v * scale) }))
}

export interface VectorStats {
  /** Share of images with at least one stray contour. */
  strayShare: number
  meanParts: number
  meanHoles: number
  /**
   * Cubic curves per 100 px of traced outline (all images pooled). The tracer fits each contour within a fixed
   * error, so a wobbly or lumpy outline needs more curves for its length than a clean one: generated above real
   * means lumpier vectors than the data's.
   */
  curvesPer100px: number
}

export function vectorStats(shapes: readonly TracedShape[]): VectorStats {
  const n = Math.max(1, shapes.length)
  let curves = 0
  let length = 0
  for (const s of shapes) for (const c of s.contours) {
    curves += c.length
    length += contourLength(c)
  }
  return {
    strayShare: shapes.filter((s) => s.stray > 0).length / n,
    meanParts: shapes.reduce((a, s) => a + s.parts, 0) / n,
    meanHoles: shapes.reduce((a, s) => a + s.holes, 0) / n,
    curvesPer100px: length > 0 ? (100 * curves) / length : 0,
  }
}

/** Counts above this share one histogram bin. */
const TOP_BIN = 5

function histogram(values: number[]): Float64Array {
  const h = new Float64Array(TOP_BIN + 1)
  for (const v of values) h[Math.min(TOP_BIN, v)]! += 1 / values.length
  return h
}

const tv = (a: Float64Array, b: Float64Array): number => 0.5 * a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0)

export interface TopologyMatch {
  /** Mean over classes of the total-variation distance between generated and real part-count histograms (0 same, 1 disjoint). */
  partsTv: number
  holesTv: number
  /** Classes with real images to compare against. */
  classes: number
  /** Classes with the largest (parts TV + holes TV) / 2, with their mean counts generated vs real. */
  worst: { label: string; tv: number; parts: [number, number]; holes: [number, number] }[]
}

/**
 * Compares the per-class distributions of part and hole counts of generated images with those of real images
 * of the same class (classes without a real image are skipped).
 */
export function topologyMatch(gen: readonly TracedShape[], genClasses: ArrayLike<number>, real: readonly TracedShape[], realClasses: ArrayLike<number>, labels: readonly string[]): TopologyMatch {
  const by = (shapes: readonly TracedShape[], classes: ArrayLike<number>, c: number): TracedShape[] => shapes.filter((_, i) => classes[i] === c)
  const mean = (s: TracedShape[], k: 'parts' | 'holes'): number => s.reduce((a, x) => a + x[k], 0) / Math.max(1, s.length)
  const rows: TopologyMatch['worst'] = []
  let parts = 0
  let holes = 0
  labels.forEach((label, c) => {
    const g = by(gen, genClasses, c)
    const r = by(real, realClasses, c)
    if (!g.length || !r.length) return
    const p = tv(histogram(g.map((s) => s.parts)), histogram(r.map((s) => s.parts)))
    const h = tv(histogram(g.map((s) => s.holes)), histogram(r.map((s) => s.holes)))
    parts += p
    holes += h
    rows.push({ label, tv: (p + h) / 2, parts: [mean(g, 'parts'), mean(r, 'parts')], holes: [mean(g, 'holes'), mean(r, 'holes')] })
  })
  const k = Math.max(1, rows.length)
  return { partsTv: parts / k, holesTv: holes / k, classes: rows.length, worst: rows.sort((a, b) => b.tv - a.tv).slice(0, 5) }
}
