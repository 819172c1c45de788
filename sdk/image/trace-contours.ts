import type { Bitmap } from './bitmap.js'

/** A point in image pixel coordinates: (0, 0) is the top-left corner of the top-left pixel. */
export interface Point {
  x: number
  y: number
}

/** A closed iso-contour (the last point connects back to the first) and its signed shoelace area. */
export interface Contour {
  points: Point[]
  /** Signed area in px²: outer boundaries have one sign, holes (counters) the other. */
  area: number
}

/** Walk order of a cell's corners (clockwise on screen): top-left, top-right, bottom-right, bottom-left. */
const CORNER_DX = [0, 1, 1, 0]
const CORNER_DY = [0, 0, 1, 1]

/**
 * Marching squares on the pixel-centre grid: returns every closed boundary between coverage ≥ `level` (ink)
 * and < `level` (paper), with sub-pixel positions from linear interpolation of coverage along cell edges.
 * The bitmap is padded with paper, so every contour closes. All contours keep ink on the same side, so
 * holes wind opposite to outer boundaries. Saddle cells are resolved by the mean of their four corners.
 *
 * @example
 * ```ts
 * const rings = isoContours(bitmap).length // 2 for an "O": outline and counter
 * ```
 */
export function isoContours(bitmap: Bitmap, level = 0.5): Contour[] {
  const { width: W, height: H, data } = bitmap
  const value = (i: number, j: number): number => (i >= 0 && j >= 0 && i < W && j < H ? data[j * W + i]! : 0)
  const inside = (i: number, j: number): boolean => value(i, j) >= level
  const horizontalEdges = (W + 1) * (H + 2)
  // Edge ids: horizontal edge (i,j)–(i+1,j) and vertical edge (i,j)–(i,j+1), for sample indices from −1.
  const hEdge = (i: number, j: number): number => (j + 1) * (W + 1) + (i + 1)
  const vEdge = (i: number, j: number): number => horizontalEdges + (j + 1) * (W + 2) + (i + 1)
  const next = new Int32Array(horizontalEdges + (W + 2) * (H + 1)).fill(-1)
  const edgeIds = [0, 0, 0, 0]
  const ins = [false, false, false, false]
  const entries: number[] = []
  const exits: number[] = []
  for (let j = -1; j < H; j++) {
    for (let i = -1; i < W; i++) {
      let count = 0
      for (let k = 0; k < 4; k++) {
        ins[k] = inside(i + CORNER_DX[k]!, j + CORNER_DY[k]!)
        if (ins[k]) count++
      }
      if (count === 0 || count === 4) continue
      edgeIds[0] = hEdge(i, j)
      edgeIds[1] = vEdge(i + 1, j)
      edgeIds[2] = hEdge(i, j + 1)
      edgeIds[3] = vEdge(i, j)
      entries.length = 0
      exits.length = 0
      for (let k = 0; k < 4; k++) {
        const a = ins[k]!
        const b = ins[(k + 1) & 3]!
        if (!a && b) entries.push(k)
        else if (a && !b) exits.push(k)
      }
      if (entries.length === 1) {
        next[edgeIds[entries[0]!]!] = edgeIds[exits[0]!]!
        continue
      }
      // Saddle: two ink corners on a diagonal. Connected ink cuts off the paper corners, else the ink corners.
      const mean = (value(i, j) + value(i + 1, j) + value(i + 1, j + 1) + value(i, j + 1)) / 4
      const step = mean >= level ? 3 : 1
      for (const k of entries) next[edgeIds[k]!] = edgeIds[(k + step) & 3]!
    }
  }
  const crossing = (edge: number): Point => {
    let i0: number, j0: number, i1: number, j1: number
    if (edge < horizontalEdges) {
      j0 = j1 = Math.floor(edge / (W + 1)) - 1
      i0 = (edge % (W + 1)) - 1
      i1 = i0 + 1
    } else {
      const e = edge - horizontalEdges
      j0 = Math.floor(e / (W + 2)) - 1
      i0 = i1 = (e % (W + 2)) - 1
      j1 = j0 + 1
    }
    const v0 = value(i0, j0)
    const v1 = value(i1, j1)
    const t = v1 === v0 ? 0.5 : Math.min(1, Math.max(0, (level - v0) / (v1 - v0)))
    return { x: i0 + 0.5 + t * (i1 - i0), y: j0 + 0.5 + t * (j1 - j0) }
  }
  const contours: Contour[] = []
  for (let start = 0; start < next.length; start++) {
    if (next[start] === -1) continue
    const points: Point[] = []
    let e = start
    while (next[e] !== -1) {
      const p = crossing(e)
      const last = points[points.length - 1]
      if (!last || Math.abs(last.x - p.x) + Math.abs(last.y - p.y) > 1e-4) points.push(p)
      const n = next[e]!
      next[e] = -1
      e = n
    }
    const first = points[0]!
    const last = points[points.length - 1]!
    if (points.length > 1 && Math.abs(last.x - first.x) + Math.abs(last.y - first.y) <= 1e-4) points.pop()
    if (points.length >= 3) contours.push({ points, area: signedArea(points) })
  }
  return contours
}

/**
 * Signed shoelace area of a closed polygon (positive when it turns clockwise on screen, y down).
 *
 * @example
 * ```ts
 * signedArea([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }]) // 1
 * ```
 */
export function signedArea(points: readonly Point[]): number {
  let a = 0
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    a += points[j]!.x * points[i]!.y - points[i]!.x * points[j]!.y
  }
  return a / 2
}
