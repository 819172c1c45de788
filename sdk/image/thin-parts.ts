/**
 * Where a drawing's topology is fragile: the centre lines of its thin strokes and small parts (ink a few pixels
 * across, which a soft decoder draws faint, so its 0.5 contour breaks them or drops them) and of its narrow gaps
 * (paper a few pixels across between two parts or inside a counter, which fill in). The trainer weighs these pixels
 * more in the reconstruction term (`topologyWeight`), the recall-of-the-skeleton idea of clDice (Shit et al. 2021)
 * and the Skeleton Recall loss (Kirchhoff et al. 2024) in a pixel likelihood.
 */

/** Chamfer distance (3-4 weights, in pixels) of every pixel of one side of the 0.5 level to the other side. */
function chamfer(inside: Uint8Array, W: number, H: number, outsideIsInside: boolean): Float32Array {
  const BIG = 1e9
  const d = new Float32Array(W * H)
  for (let i = 0; i < W * H; i++) d[i] = inside[i] ? BIG : 0
  // beyond the frame counts as `outsideIsInside` (paper continues past the image, ink does not)
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= W || y >= H ? (outsideIsInside ? BIG : 0) : d[y * W + x]!)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x
      if (!d[i]) continue
      d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4)
    }
  }
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      const i = y * W + x
      if (!d[i]) continue
      d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4)
    }
  }
  for (let i = 0; i < W * H; i++) d[i] = d[i]! / 3
  return d
}

const DIRECTIONS = [[1, 0], [0, 1], [1, 1], [1, -1]] as const

/** d at (x, y), `beyond` outside the frame. */
const value = (d: Float32Array, beyond: number, x: number, y: number, W: number, H: number): number => (x >= 0 && y >= 0 && x < W && y < H ? d[y * W + x]! : beyond)

export interface ThinPartsOptions {
  /** Ridge pixels at most this far (px) from the other side count: strokes and gaps up to about twice as wide. Default 2. */
  maxHalfWidth?: number
  /** Value of full ink (255 for uint8 bitmaps, 1 for float ones; default 1). */
  ink?: number
}

/**
 * 1 on the ridge of each side's distance to the other side (no 8-neighbour farther from it) where that distance is
 * at most `maxHalfWidth`: the middle of thin ink and of narrow paper, 0 elsewhere (thick strokes, open paper,
 * edges). Paper ridges only arise between two inked sides, so open paper and the outside of convex shapes stay 0.
 */
export function thinParts(coverage: ArrayLike<number>, size: number, o: ThinPartsOptions = {}): Uint8Array {
  const W = size
  const H = size
  const half = (o.ink ?? 1) / 2
  const R = o.maxHalfWidth ?? 2
  const ink = new Uint8Array(W * H)
  const paper = new Uint8Array(W * H)
  for (let i = 0; i < W * H; i++) {
    if (coverage[i]! >= half) ink[i] = 1
    else paper[i] = 1
  }
  const out = new Uint8Array(W * H)
  // beyond the frame paper goes on (farther from ink than anything inside); ink does not
  for (const [side, d, beyond] of [[ink, chamfer(ink, W, H, false), 0], [paper, chamfer(paper, W, H, true), Infinity]] as const) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x
        const v = d[i]!
        if (!side[i] || v > R) continue
        // a ridge: along some direction (across the stroke or gap) no neighbour is farther and one is nearer
        let ridge = false
        for (const [dx, dy] of DIRECTIONS) {
          const a = value(d, beyond, x + dx, y + dy, W, H)
          const b = value(d, beyond, x - dx, y - dy, W, H)
          if (a <= v + 1e-6 && b <= v + 1e-6 && (a < v - 1e-6 || b < v - 1e-6)) {
            ridge = true
            break
          }
        }
        if (ridge) out[i] = 1
      }
    }
  }
  return out
}
