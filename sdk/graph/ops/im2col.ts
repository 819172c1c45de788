/**
 * im2col for convolutions in NHWC, shared by the conv weight-gradient rule (ops/conv-grad.ts) and the Gemm lowering
 * of training convolutions (sdk/graph/conv-gemm.ts): pixel-row window tables (and their inverse, for col2im) as
 * graph constants, im2col as one Gather of pixel rows, NCHW ⇄ NHWC relayouts and the space-to-depth grid used where
 * pixel rows are too short to gather efficiently.
 */
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'
import { invertIndex } from './grad.js'
import { numel } from './rule.js'

/** Pixel rows shorter than this many floats are gathered as space-to-depth blocks instead. */
export const MIN_ROW_FLOATS = 8

export interface ConvGeometry {
  kernel: [number, number]
  strides: [number, number]
  /** [top, left, bottom, right] */
  pads: [number, number, number, number]
}

/** Whether space-to-depth lowering applies to a conv whose high-resolution side is H×W: square stride, kernel a multiple of it, padded size divisible by it. */
export function spaceToDepthApplies([H, W]: readonly number[], { kernel: [kh, kw], strides: [sh, sw], pads: [pt, pl, pb, pr] }: ConvGeometry): boolean {
  return sh === sw && kh % sh === 0 && kw % sw === 0 && (H! + pt + pb) % sh === 0 && (W! + pl + pr) % sw === 0
}

/** NCHW → NHWC (a free Reshape when C is 1). */
export const toNhwc = (g: Graph, x: Value): Value => relayout(g, x, [0, 2, 3, 1])
/** NHWC → NCHW (a free Reshape when C is 1). */
export const toNchw = (g: Graph, x: Value): Value => relayout(g, x, [0, 3, 1, 2])

function relayout(g: Graph, x: Value, perm: number[]): Value {
  // when the axes longer than 1 keep their order, only size-1 axes move and the memory order is unchanged
  const kept = perm.filter((p) => numel([x.shape[p]!]) !== 1)
  if (kept.every((p, i) => i === 0 || p > kept[i - 1]!)) return g.op('Reshape', [x, g.int64(perm.map((p) => numel([x.shape[p]!])), 'shape')])
  return g.op('Transpose', [x], { perm: attr.ints(perm) })
}

/**
 * Space-to-depth of the zero-padded NHWC input [N, H, W, C]: S [N·Hb·Wb, (i, j, c)] with channel (i·s + j)·C + c
 * holding X[n, y·s + i − pt, x·s + j − pl, c]. In NHWC the column pair merges into the channel with a free
 * Reshape, so the only copy moves blocks of s·C floats.
 */
export function spaceToDepthNhwc(g: Graph, x: Value, s: number, [pt, pl, pb, pr]: readonly number[]): { S: Value; Hb: number; Wb: number } {
  const [N, H, W, C] = x.shape.map((d) => numel([d])) as [number, number, number, number]
  const Hb = (H + pt! + pb!) / s
  const Wb = (W + pl! + pr!) / s
  let t = x
  if (pt || pl || pb || pr) t = g.op('Pad', [t, g.int64([0, pt!, pl!, 0, 0, pb!, pr!, 0], 'pads')])
  t = g.op('Reshape', [t, g.int64([N, Hb, s, Wb, s * C], 'shape')])
  t = g.op('Transpose', [t], { perm: attr.ints([0, 1, 3, 2, 4]) })
  return { S: g.op('Reshape', [t, g.int64([N * Hb * Wb, s * s * C], 'shape')]), Hb, Wb }
}

/**
 * The inverse of {@link spaceToDepthNhwc}: grid rows holding [N, Hb, Wb, (i, j, c)] (any shape with those elements)
 * → [N, Hb·s − pt − pb, Wb·s − pl − pr, C], the padding cropped. In NHWC the copy moves blocks of s·C floats.
 */
export function depthToSpaceNhwc(g: Graph, t: Value, [N, Hb, Wb, C]: readonly number[], s: number, [pt, pl, pb, pr]: readonly number[]): Value {
  const H = Hb! * s - pt! - pb!
  const W = Wb! * s - pl! - pr!
  let r = g.op('Transpose', [g.op('Reshape', [t, g.int64([N!, Hb!, Wb!, s, s * C!], 'shape')])], { perm: attr.ints([0, 1, 3, 2, 4]) })
  r = g.op('Reshape', [r, g.int64([N!, Hb! * s, Wb! * s, C!], 'shape')])
  if (pt || pl || pb || pr) r = g.op('Slice', [r, g.int64([pt!, pl!], 'starts'), g.int64([pt! + H, pl! + W], 'ends'), g.int64([1, 2], 'axes')])
  return r
}

/**
 * Row tables of a kh×kw stride-s convolution from an H×W grid to an h×w grid, rows n-major (pixel rows of NHWC):
 * `windows[(n,i,j)·kh·kw + a·kw + b]` is the input row that window tap (a, b) reads, or N·H·W (a zero row the
 * caller appends) where it reads padding; `inverse[r·m + t]` is the t-th window entry that reads input row r,
 * padded to the largest count m with N·h·w·kh·kw (an appended zero block). The two are each other's adjoint:
 * im2col is a Gather by `windows`, col2im (the overlapping sum) Gathers by `inverse` + a Sum.
 */
export function windowTables(N: number, high: readonly number[], low: readonly number[], { kernel: [kh, kw], strides: [sh, sw], pads: [pt, pl] }: ConvGeometry): { windows: BigInt64Array; inverse: BigInt64Array; m: number } {
  const [H, W] = high as [number, number]
  const [h, w] = low as [number, number]
  const windows = new Int32Array(N * h * w * kh * kw)
  const zero = N * H * W
  let e = 0
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let a = 0; a < kh; a++) {
          const r = i * sh + a - pt
          for (let b = 0; b < kw; b++, e++) {
            const c = j * sw + b - pl
            windows[e] = r >= 0 && r < H && c >= 0 && c < W ? (n * H + r) * W + c : zero
          }
        }
      }
    }
  }
  return { windows: BigInt64Array.from(windows, BigInt), ...invertIndex(windows, zero, windows.length) }
}

export interface Tables {
  windows(): Value
  /** One [N·H·W] column of the inverse table per overlap. */
  inverse(): Value[]
}
const tableCache = new WeakMap<Graph, Map<string, Tables>>()

/** {@link windowTables} as graph constants, made once per graph and geometry, each when first used (a conv whose input needs no gradient never adds its inverse table). */
export function tables(g: Graph, N: number, high: readonly number[], low: readonly number[], geo: ConvGeometry): Tables {
  const key = JSON.stringify([N, high, low, geo])
  let cache = tableCache.get(g)
  if (!cache) tableCache.set(g, (cache = new Map()))
  let t = cache.get(key)
  if (!t) {
    const made = windowTables(N, high, low, geo)
    const rows = N * high[0]! * high[1]!
    let windows: Value | undefined
    let inverse: Value[] | undefined
    t = {
      windows: () => (windows ??= g.constant(made.windows, [N * low[0]! * low[1]!, geo.kernel[0] * geo.kernel[1]], 'windows')),
      inverse: () => (inverse ??= Array.from({ length: made.m }, (_, c) => g.constant(BigInt64Array.from({ length: rows }, (_, r) => made.inverse[r * made.m + c]!), [rows], 'inverse'))),
    }
    cache.set(key, t)
  }
  return t
}

/** A value's static dims as numbers. */
export const dimsOf = (v: Value): number[] => v.shape.map((d) => numel([d]))
/** [..., C] → [R, C] rows. */
export const rowsOf = (g: Graph, x: Value): Value => g.op('Reshape', [x, g.int64([numel(x.shape.slice(0, -1)), numel([x.shape[x.shape.length - 1]!])], 'shape')])
/** rows [R, C] with one zero row appended: [R + 1, C] (where the window tables point padding). */
export const withZeroRow = (g: Graph, rows: Value): Value => g.op('Concat', [rows, g.constant(new Float32Array(numel([rows.shape[1]!])), [1, numel([rows.shape[1]!])], 'zero_row')], { axis: attr.i(0) })

/** im2col of X [N,H,W,C] (NHWC) for a conv to an h×w map: one Gather of pixel rows → [N·h·w, kh·kw·C], rows in window-tap then channel order. */
export function im2col(g: Graph, x: Value, geo: ConvGeometry, [h, w]: readonly number[]): Value {
  const [N, H, W, C] = dimsOf(x) as [number, number, number, number]
  const t = tables(g, N, [H, W], [h!, w!], geo)
  return g.op('Reshape', [g.op('Gather', [withZeroRow(g, rowsOf(g, x)), t.windows()], { axis: attr.i(0) }, 'im2col'), g.int64([N * h! * w!, geo.kernel[0] * geo.kernel[1] * C], 'shape')])
}
