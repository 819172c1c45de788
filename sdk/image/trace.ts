import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from './bitmap.js'
import { isoContours, type Point } from './trace-contours.js'
import { isFaintSpeck } from './trace-specks.js'
import { ClosedPolyline, findCorners, sharpenCorners, smoothClosed, tangentInto } from './trace-corners.js'
import { fitCubics, lineCubic, normalize, type Cubic } from './trace-fit.js'

/** How a coverage bitmap is turned into curves. */
export interface TraceOptions {
  /** Coverage level of the outline, 0..1 (default 0.5). */
  level?: number
  /** Largest distance in pixels between the traced contour and the fitted curves (default 0.35). */
  tolerance?: number
  /** Contours (ink specks or pinholes) enclosing less than this many px² are dropped (default 2). */
  minArea?: number
  /**
   * Faint specks are dropped too: contours up to this many px² (default 8 at 64², scaled with the image's area; 0
   * keeps them) whose ink never gets `faintMargin` darker than the outline level (islands) or whose paper never
   * gets `faintMargin` lighter (pinholes) — a blurry decoder's residue (sdk/image/trace-specks.ts).
   */
  faintArea?: number
  /** Contrast a small contour needs to be kept (default 0.2). */
  faintMargin?: number
  /** Turns sharper than this many degrees become corners; smoother ones become curves (default 55). */
  cornerAngle?: number
  /**
   * Smoothing passes over the contour before fitting (default: 1 for anti-aliased input, 3 for hard-edged
   * 0/1 input, whose pixel stair-steps need more).
   */
  smoothing?: number
}

/** SVG document options on top of {@link TraceOptions}. */
export interface SvgOptions extends TraceOptions {
  /** Fill colour of the path (default `#000`). */
  fill?: string
  /** Displayed width / height attributes (default: the bitmap size; the viewBox is always the bitmap size). */
  width?: number
  height?: number
}

const CORNER_REACH = 2
/** Closest two corners may be, along the contour (a 2 px slot keeps both of its corners). */
const CORNER_SEPARATION = 1
/** Arc length over which the direction leaving a corner is measured. */
const TANGENT_REACH = 1

/**
 * Traces a coverage bitmap into SVG path data: one closed subpath per contour (outer shapes and their
 * counters, which wind the opposite way so both `nonzero` and `evenodd` fill them right), smooth cubic curves
 * with sharp corners kept, only absolute `M`/`L`/`C`/`Z` commands, coordinates in image pixels rounded to
 * 2 decimals. Returns `''` for a blank bitmap.
 *
 * @example
 * ```ts
 * const d = tracePath(bitmap) // "M 20.5 8 C 27.4 8 …Z M …Z"
 * ```
 */
export function tracePath(bitmap: Bitmap, options: TraceOptions = {}): string {
  return traceCubics(bitmap, options).map(formatSubpath).join(' ')
}

/**
 * Traces a bitmap (see {@link tracePath}) into a complete SVG document: `viewBox="0 0 W H"`, width/height,
 * one `<path>` with `fill-rule="evenodd"`. This is what the plugin inserts with `figma.createNodeFromSvg`.
 *
 * @example
 * ```ts
 * await fs.writeFile('heart.svg', traceToSvg(bitmap, { fill: '#1e1e1e' }))
 * ```
 */
export function traceToSvg(bitmap: Bitmap, options: SvgOptions = {}): string {
  const fill = options.fill ?? '#000'
  if (!/^[#a-zA-Z0-9(),.% -]{1,64}$/.test(fill)) {
    throw new LatentypeError('BAD_ARGUMENT', `fill ${JSON.stringify(fill)} is not a plain CSS colour — use e.g. "#000" or "black"`)
  }
  const width = options.width ?? bitmap.width
  const height = options.height ?? bitmap.height
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new LatentypeError('BAD_ARGUMENT', `svg size ${width}×${height} is invalid — width and height must be positive numbers`)
  }
  const d = tracePath(bitmap, options)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" ` +
    `viewBox="0 0 ${bitmap.width} ${bitmap.height}"><path d="${d}" fill="${fill}" fill-rule="evenodd"/></svg>`
  )
}

/**
 * Traces a bitmap into closed curves: one array of cubic segments per kept contour, each ending where it
 * started. Straight segments are cubics with their controls on the chord. Lower level than {@link tracePath}.
 *
 * @example
 * ```ts
 * const counters = traceCubics(bitmapOfO).length // 2
 * ```
 */
export function traceCubics(bitmap: Bitmap, options: TraceOptions = {}): Cubic[][] {
  assertBitmap(bitmap)
  const level = checkNumber(options.level ?? 0.5, 'level', 0, 1)
  const tolerance = checkNumber(options.tolerance ?? 0.35, 'tolerance', 0.01, 10)
  const minArea = checkNumber(options.minArea ?? 2, 'minArea', 0, Infinity)
  const cornerAngle = (checkNumber(options.cornerAngle ?? 55, 'cornerAngle', 0, 180) * Math.PI) / 180
  const smoothing = Math.round(checkNumber(options.smoothing ?? (isHardEdged(bitmap, level) ? 3 : 1), 'smoothing', 0, 10))
  for (let i = 0; i < bitmap.data.length; i++) {
    if (Number.isNaN(bitmap.data[i])) {
      throw new LatentypeError('BAD_BITMAP', `bitmap has NaN coverage at pixel (${i % bitmap.width}, ${Math.floor(i / bitmap.width)}) — check the decoder output`)
    }
  }
  const faintArea = checkNumber(options.faintArea ?? (8 * bitmap.width * bitmap.height) / 4096, 'faintArea', 0, Infinity)
  const faintMargin = checkNumber(options.faintMargin ?? 0.2, 'faintMargin', 0, 1)
  return isoContours(bitmap, level)
    .filter((c) => Math.abs(c.area) >= minArea && !isFaintSpeck(c, bitmap, level, faintArea, faintMargin))
    .map((c) => fitContour(c.points, tolerance, cornerAngle, smoothing))
}

function fitContour(raw: Point[], tolerance: number, cornerAngle: number, smoothing: number): Cubic[] {
  const line = new ClosedPolyline(raw)
  const corners = findCorners(line, cornerAngle, CORNER_REACH, CORNER_SEPARATION)
  const sharp = sharpenCorners(line, corners, CORNER_REACH, 1)
  const pts = smoothClosed(sharp, corners, smoothing)
  const n = pts.length
  if (corners.length === 0) {
    const smooth = new ClosedPolyline(pts)
    const b = smooth.at(-CORNER_REACH)
    const f = smooth.at(CORNER_REACH)
    const t = normalize({ x: f.x - b.x, y: f.y - b.y })
    return fitCubics([...pts, pts[0]!], t, { x: -t.x, y: -t.y }, tolerance)
  }
  const out: Cubic[] = []
  for (let k = 0; k < corners.length; k++) {
    const a = corners[k]!
    const b = corners[(k + 1) % corners.length]!
    const run: Point[] = []
    for (let i = a; ; i = (i + 1) % n) {
      run.push(pts[i]!)
      if (i === b && run.length > 1) break
    }
    if (isStraight(run, tolerance)) {
      out.push(lineCubic(run[0]!, run[run.length - 1]!))
      continue
    }
    const reach = Math.min(TANGENT_REACH, polylineLength(run) / 3)
    out.push(...fitCubics(run, tangentInto(run, reach, false), tangentInto(run, reach, true), tolerance))
  }
  return out
}

/** True when (almost) no pixel on the ink/paper boundary has intermediate coverage: pixel art, thresholded masks. */
function isHardEdged(bitmap: Bitmap, level: number): boolean {
  const { width: W, height: H, data } = bitmap
  let edge = 0
  let soft = 0
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = data[y * W + x]!
      const ink = v >= level
      const differs =
        (x > 0 && data[y * W + x - 1]! >= level !== ink) ||
        (x + 1 < W && data[y * W + x + 1]! >= level !== ink) ||
        (y > 0 && data[(y - 1) * W + x]! >= level !== ink) ||
        (y + 1 < H && data[(y + 1) * W + x]! >= level !== ink)
      if (!differs) continue
      edge++
      if (v > 0.02 && v < 0.98) soft++
    }
  }
  return soft <= 0.1 * edge
}

function isStraight(run: readonly Point[], tolerance: number): boolean {
  const a = run[0]!
  const b = run[run.length - 1]!
  const len = Math.hypot(b.x - a.x, b.y - a.y)
  if (len === 0) return false
  return run.every((p) => Math.abs((p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x)) / len <= tolerance)
}

function polylineLength(run: readonly Point[]): number {
  let s = 0
  for (let i = 1; i < run.length; i++) s += Math.hypot(run[i]!.x - run[i - 1]!.x, run[i]!.y - run[i - 1]!.y)
  return s
}

/** `M x y` then one `C`/`L` per segment (a segment whose controls lie on its chord is written as `L`), `Z`. */
function formatSubpath(cubics: readonly Cubic[]): string {
  const start = cubics[0]![0]
  const parts = [`M ${fmt(start.x)} ${fmt(start.y)}`]
  cubics.forEach((c, k) => {
    const closing = k === cubics.length - 1
    if (isFlat(c)) {
      if (!closing) parts.push(`L ${fmt(c[3].x)} ${fmt(c[3].y)}`)
    } else {
      parts.push(`C ${fmt(c[1].x)} ${fmt(c[1].y)} ${fmt(c[2].x)} ${fmt(c[2].y)} ${fmt(c[3].x)} ${fmt(c[3].y)}`)
    }
  })
  parts.push('Z')
  return parts.join(' ')
}

function isFlat(c: Cubic): boolean {
  const [a, p, q, b] = c
  const len = Math.hypot(b.x - a.x, b.y - a.y)
  if (len === 0) return Math.hypot(p.x - a.x, p.y - a.y) + Math.hypot(q.x - a.x, q.y - a.y) < 0.01
  const off = (r: Point): number => Math.abs((r.x - a.x) * (b.y - a.y) - (r.y - a.y) * (b.x - a.x)) / len
  const along = (r: Point): number => ((r.x - a.x) * (b.x - a.x) + (r.y - a.y) * (b.y - a.y)) / (len * len)
  return off(p) < 0.01 && off(q) < 0.01 && along(p) >= 0 && along(p) <= 1 && along(q) >= 0 && along(q) <= 1
}

/** A number rounded to 2 decimals, without trailing zeros or negative zero. */
function fmt(v: number): string {
  const r = Math.round(v * 100) / 100
  return Object.is(r, -0) ? '0' : String(r)
}

function checkNumber(v: number, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max) {
    throw new LatentypeError('BAD_ARGUMENT', `trace option ${name} = ${v} is out of range — use a number from ${min} to ${max}`)
  }
  return v
}
