/**
 * Where a drawing's topology is fragile: the middles and end caps of its thin strokes and small parts — ink a few
 * pixels across, which a soft decoder draws faint, so that its 0.5 contour breaks a hairline into pieces or drops a
 * dot. The trainer weighs these pixels more in the reconstruction term (`topologyWeight`): the recall-of-the-skeleton
 * idea of clDice (Shit et al. 2021) and the Skeleton Recall loss (Kirchhoff et al. 2024), in a pixel likelihood.
 * Paper is left alone: a first definition that also weighed narrow paper and the corners of thick strokes measured
 * worse (models/README, session 11; the two were not measured apart).
 */

/**
 * Chamfer distance (3-4 weights, in pixels) of every ink pixel to the nearest paper; beyond the frame is paper. The
 * mask is defined on this metric (the shipped glyph model was trained with it); the exact Euclidean transform in
 * sdk/image/field.ts serves the sub-pixel distance fields instead.
 */
function chamfer(ink: Uint8Array, W: number, H: number): Float32Array {
  const BIG = 1e9
  const d = new Float32Array(W * H)
  for (let i = 0; i < W * H; i++) d[i] = ink[i] ? BIG : 0
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= W || y >= H ? 0 : d[y * W + x]!)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x
      if (d[i]) d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4)
    }
  }
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      const i = y * W + x
      if (d[i]) d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4)
    }
  }
  for (let i = 0; i < W * H; i++) d[i] = d[i]! / 3
  return d
}

const DIRECTIONS = [[1, 0], [0, 1], [1, 1], [1, -1]] as const

export interface ThinPartsOptions {
  /** Ridge pixels at most this far (px) from paper count: strokes up to about twice as wide. Default 2. */
  maxHalfWidth?: number
  /** Value of full ink (255 for uint8 bitmaps, 1 for float ones; default 1). */
  ink?: number
}

/**
 * 1 on the ridge of the ink's distance to paper (along some direction no neighbour is farther and one is nearer)
 * where that distance is at most `maxHalfWidth` and nothing within 2 px is thicker: the middles (and end caps) of
 * thin strokes and small parts; 0 on paper, thick strokes and their corners (where a thick part's medial axis ends).
 */
export function thinParts(coverage: ArrayLike<number>, size: number, o: ThinPartsOptions = {}): Uint8Array {
  const W = size
  const H = size
  const half = (o.ink ?? 1) / 2
  const R = o.maxHalfWidth ?? 2
  const ink = new Uint8Array(W * H)
  for (let i = 0; i < W * H; i++) if (coverage[i]! >= half) ink[i] = 1
  const d = chamfer(ink, W, H)
  const at = (x: number, y: number): number => (x >= 0 && y >= 0 && x < W && y < H ? d[y * W + x]! : 0)
  const out = new Uint8Array(W * H)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = d[y * W + x]!
      if (!ink[y * W + x] || v > R) continue
      let ridge = false
      for (const [dx, dy] of DIRECTIONS) {
        const a = at(x + dx, y + dy)
        const b = at(x - dx, y - dy)
        if (a <= v + 1e-6 && b <= v + 1e-6 && (a < v - 1e-6 || b < v - 1e-6)) {
          ridge = true
          break
        }
      }
      if (!ridge) continue
      let thin = true
      for (let dy = -2; dy <= 2 && thin; dy++) for (let dx = -2; dx <= 2; dx++) if (at(x + dx, y + dy) > R + 1e-6) thin = false
      if (thin) out[y * W + x] = 1
    }
  }
  return out
}
