/**
 * Convolutions lowered to Gemms, for training graphs. onnxruntime's CPU Conv and ConvTranspose run at 35–50
 * GFLOP/s on the CVAE's low-resolution maps (an im2col Gemm per image, too small to be efficient), and their
 * gradients as ONNX ops are slower still, while one Gemm over the whole batch runs at 90–165 GFLOP/s. So a
 * lowered convolution is, in NHWC:
 *
 * - conv: im2col as ONE Gather of pixel rows (each row is a pixel's C channels, contiguous in NHWC; padding reads an
 *   appended zero row) by a constant window table, then one Gemm with the bias as its C input — exact FLOPs;
 * - transposed conv: one Gemm from every input pixel to all its k² output taps, then col2im (the overlapping sum) as
 *   one Gather per overlap by the inverse table and a variadic Sum that also adds the bias.
 *
 * Their gradients are written by hand (Graph.withGradient), because each is the other's adjoint: a conv's dW is one
 * Gemm colsᵀ·dY and its dX is col2im(dY·Wᵀ); a transposed conv's dX and dW are Gemms of im2col(dY). (Autodiff of the
 * Gather would scatter through padded copies instead.) Where the high-resolution side has few channels (the
 * CVAE's one-channel image) its pixel rows are too short to gather efficiently: the layer then works on the
 * space-to-depth grid of s×s blocks (rows of s²·C floats) as a (k/s)×(k/s) stride-1 convolution.
 *
 * The weights keep their ONNX layout ([O, C, k, k] and [Cin, Cout, k, k]) and are rearranged in the graph, so
 * checkpoints and exported models do not depend on how the training graph lowered its convolutions.
 */
import { attr, type Graph, type Value } from './graph.js'
import { numel } from './ops/rule.js'
import { invertIndex } from './ops/grad.js'

/** How a layer's convolution is emitted: the ONNX op, a Gemm ({@link conv2dGather}), or Gemm on small maps. */
export type ConvImpl = 'onnx' | 'gemm' | 'auto'

/** `auto` lowers a convolution to a Gemm when its low-resolution side has at most this many pixels. */
export const AUTO_GEMM_MAX_PIXELS = 64

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
 * How a layer is lowered under `impl`, given its high-resolution H×W and low-resolution h×w maps and the channels
 * of the high-resolution side:
 * undefined = the ONNX op; 'rows' = gather pixel rows; 'blocks' = gather rows of the space-to-depth grid, for a
 * high-resolution side with fewer than {@link MIN_ROW_FLOATS} channels (the image; needs a kernel that is a multiple
 * of the stride). `auto` lowers 'rows' layers whose low-resolution map has at most {@link AUTO_GEMM_MAX_PIXELS}
 * pixels, and an image layer when the layer beside it is lowered (its low-resolution map is that layer's
 * high-resolution one: at most s²·AUTO_GEMM_MAX_PIXELS pixels), so both stay NHWC with no Transpose between them.
 */
export function lowering(impl: ConvImpl | undefined, highRes: readonly number[], lowRes: readonly number[], highCh: number, geo: ConvGeometry): 'rows' | 'blocks' | undefined {
  if (!impl || impl === 'onnx') return undefined
  const px = lowRes[0]! * lowRes[1]!
  if (highCh >= MIN_ROW_FLOATS) return impl === 'gemm' || px <= AUTO_GEMM_MAX_PIXELS ? 'rows' : undefined
  if (!spaceToDepthApplies(highRes, geo)) return undefined
  return impl === 'gemm' || px <= geo.strides[0] * geo.strides[1] * AUTO_GEMM_MAX_PIXELS ? 'blocks' : undefined
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

interface Tables {
  windows(): Value
  /** One [N·H·W] column of the inverse table per overlap. */
  inverse(): Value[]
}
const tableCache = new WeakMap<Graph, Map<string, Tables>>()

/** {@link windowTables} as graph constants, made once per graph and geometry, each when first used (a conv whose input needs no gradient never adds its inverse table). */
function tables(g: Graph, N: number, high: readonly number[], low: readonly number[], geo: ConvGeometry): Tables {
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

const dims = (v: Value): number[] => v.shape.map((d) => numel([d]))
/** [..., C] → [R, C] rows. */
const rowsOf = (g: Graph, x: Value): Value => g.op('Reshape', [x, g.int64([numel(x.shape.slice(0, -1)), numel([x.shape[x.shape.length - 1]!])], 'shape')])
/** rows [R, C] with one zero row appended: [R + 1, C] (where the window tables point padding). */
const withZeroRow = (g: Graph, rows: Value): Value => g.op('Concat', [rows, g.constant(new Float32Array(numel([rows.shape[1]!])), [1, numel([rows.shape[1]!])], 'zero_row')], { axis: attr.i(0) })

/** col2im: table rows [(R + 1)·k², C] summed into the grid rows the inverse tables list, plus an optional bias, in one Sum (faster than one Gather + ReduceSum over a middle axis). */
function overlapSum(g: Graph, table: Value, t: Tables, b?: Value): Value {
  const parts = t.inverse().map((ix) => g.op('Gather', [table, ix], { axis: attr.i(0) }, 'col2im'))
  if (b) parts.push(b)
  return parts.length > 1 ? g.op('Sum', parts) : parts[0]!
}

/** im2col of X [N,H,W,C] (NHWC) for a conv to an h×w map: one Gather of pixel rows → [N·h·w, kh·kw·C], rows in window-tap then channel order. */
export function im2col(g: Graph, x: Value, geo: ConvGeometry, [h, w]: readonly number[]): Value {
  const [N, H, W, C] = dims(x) as [number, number, number, number]
  const t = tables(g, N, [H, W], [h!, w!], geo)
  return g.op('Reshape', [g.op('Gather', [withZeroRow(g, rowsOf(g, x)), t.windows()], { axis: attr.i(0) }, 'im2col'), g.int64([N * h! * w!, geo.kernel[0] * geo.kernel[1] * C], 'shape')])
}

/**
 * Y = conv(X) + b on a grid: X [N,H,W,C] (NHWC), the weights as the matrix wm [kh·kw·C, O] (rows in window-tap then
 * channel order), Y [N,h,w,O]. im2col by one Gather, one Gemm; hand-written gradient (see the file comment).
 */
export function im2colGemm(g: Graph, x: Value, wm: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const [N, H, W, C] = dims(x) as [number, number, number, number]
  const [kh, kw] = geo.kernel
  const O = numel([wm.shape[1]!])
  const h = (H + geo.pads[0] + geo.pads[2] - kh) / geo.strides[0] + 1
  const w = (W + geo.pads[1] + geo.pads[3] - kw) / geo.strides[1] + 1
  const t = tables(g, N, [H, W], [h, w], geo)
  let cols: Value
  return g.withGradient(b ? [x, wm, b] : [x, wm], () => {
    cols = im2col(g, x, geo, [h, w])
    return [g.op('Reshape', [g.op('Gemm', b ? [cols, wm, b] : [cols, wm], {}, 'conv_gemm'), g.int64([N, h, w, O], 'shape')])]
  }, ([dy4], needs) => {
    const dy = rowsOf(g, dy4!)
    // dX = col2im(dY·Wᵀ); the zero row appended to dY makes the zero block the inverse table points at
    const dcols = needs[0] ? g.op('Reshape', [g.op('Gemm', [withZeroRow(g, dy), wm], { transB: attr.i(1) }, 'dcols'), g.int64([(N * h * w + 1) * kh * kw, C], 'shape')]) : undefined
    return [
      dcols && g.op('Reshape', [overlapSum(g, dcols, t), g.int64([N, H, W, C], 'shape')]),
      needs[1] ? g.op('Gemm', [cols, dy], { transA: attr.i(1) }, 'dw_gemm') : undefined,
      b && needs[2] ? g.op('ReduceSum', [dy, g.int64([0], 'axes')], { keepdims: attr.i(0) }) : undefined,
    ]
  })[0]!
}

/**
 * Y = convTranspose(X) + b onto an H×W grid: X [N,h,w,Cin] (NHWC), the weights as wall [Cin, kh·kw·Cout] (columns in
 * window-tap then channel order), Y [N,H,W,Cout]. One Gemm to every tap, col2im; hand-written gradient.
 */
export function col2imGemm(g: Graph, x: Value, wall: Value, b: Value | undefined, geo: ConvGeometry, [H, W]: readonly number[]): Value {
  const [N, h, w, Cin] = dims(x) as [number, number, number, number]
  const [kh, kw] = geo.kernel
  const Cout = numel([wall.shape[1]!]) / (kh * kw)
  const t = tables(g, N, [H!, W!], [h, w], geo)
  let xr: Value
  return g.withGradient(b ? [x, wall, b] : [x, wall], () => {
    xr = rowsOf(g, x)
    const z = g.op('Reshape', [g.op('MatMul', [withZeroRow(g, xr), wall], {}, 'convT_gemm'), g.int64([(N * h * w + 1) * kh * kw, Cout], 'shape')])
    return [g.op('Reshape', [overlapSum(g, z, t, b), g.int64([N, H!, W!, Cout], 'shape')])]
  }, ([dy4], needs) => {
    const dy = rowsOf(g, dy4!)
    const dz = g.op('Reshape', [g.op('Gather', [withZeroRow(g, dy), t.windows()], { axis: attr.i(0) }, 'im2col'), g.int64([N * h * w, kh * kw * Cout], 'shape')])
    return [
      needs[0] ? g.op('Reshape', [g.op('Gemm', [dz, wall], { transB: attr.i(1) }, 'dx_gemm'), g.int64([N, h, w, Cin], 'shape')]) : undefined,
      needs[1] ? g.op('Gemm', [xr, dz], { transA: attr.i(1) }, 'dw_gemm') : undefined,
      b && needs[2] ? g.op('ReduceSum', [dy, g.int64([0], 'axes')], { keepdims: attr.i(0) }) : undefined,
    ]
  })[0]!
}

/** W [O, C, kh, kw] with kh = q·s → rows (a, b, i, j, c) for the block grid, or (kh, kw, c) for pixel rows (s = 1). */
function convMatrix(g: Graph, w: Value, s: number): Value {
  const [O, C, kh, kw] = dims(w) as [number, number, number, number]
  const wr = g.op('Reshape', [w, g.int64([O, C, kh / s, s, kw / s, s], 'shape')])
  return g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([2, 4, 3, 5, 1, 0]) }), g.int64([kh * kw * C, O], 'shape')])
}

/** W [Cin, Cout, kh, kw] with kh = q·s → columns (a, b, i, j, co) for the block grid, or (kh, kw, co) for pixel rows (s = 1). */
function convTransposeMatrix(g: Graph, w: Value, s: number): Value {
  const [Cin, Cout, kh, kw] = dims(w) as [number, number, number, number]
  const wr = g.op('Reshape', [w, g.int64([Cin, Cout, kh / s, s, kw / s, s], 'shape')])
  return g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([0, 2, 4, 3, 5, 1]) }), g.int64([Cin, kh * kw * Cout], 'shape')])
}

/** The stride-1 (k/s)×(k/s) convolution on the space-to-depth grid that a k×k stride-s one becomes. */
const blockGeometry = ({ kernel: [kh, kw], strides: [s] }: ConvGeometry): ConvGeometry => ({ kernel: [kh / s, kw / s], strides: [1, 1], pads: [0, 0, 0, 0] })

/** Y = Conv(X, W) + b lowered to a Gather and a Gemm; NHWC in and out, W [O, C, k, k]. `blocks`: on the space-to-depth grid. */
export function conv2dGather(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry, blocks = false): Value {
  if (!blocks) return im2colGemm(g, x, convMatrix(g, w, 1), b, geo)
  const s = geo.strides[0]
  const { S, Hb, Wb } = spaceToDepthNhwc(g, x, s, geo.pads)
  const grid = g.op('Reshape', [S, g.int64([numel([x.shape[0]!]), Hb, Wb, s * s * numel([x.shape[3]!])], 'shape')])
  return im2colGemm(g, grid, convMatrix(g, w, s), b, blockGeometry(geo))
}

/** Y = ConvTranspose(X, W) + b lowered to a Gemm and col2im; NHWC in and out, W [Cin, Cout, k, k]. `blocks`: onto the space-to-depth grid, then depth-to-space. */
export function convTranspose2dGather(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry, blocks = false): Value {
  const [N, h, wi] = dims(x) as [number, number, number, number]
  const [, Cout, kh, kw] = dims(w) as [number, number, number, number]
  const [s] = geo.strides
  const [pt, pl, pb, pr] = geo.pads
  const H = (h - 1) * s + kh - pt - pb
  const W = (wi - 1) * geo.strides[1] + kw - pl - pr
  if (!blocks) return col2imGemm(g, x, convTransposeMatrix(g, w, 1), b, geo, [H, W])
  const bg = blockGeometry(geo)
  const Hb = h + bg.kernel[0] - 1
  const Wb = wi + bg.kernel[1] - 1
  let t = col2imGemm(g, x, convTransposeMatrix(g, w, s), undefined, bg, [Hb, Wb]) // [N, Hb, Wb, (i, j, co)]
  // depth-to-space, crop the padding, bias
  t = g.op('Transpose', [g.op('Reshape', [t, g.int64([N, Hb, Wb, s, s * Cout], 'shape')])], { perm: attr.ints([0, 1, 3, 2, 4]) })
  t = g.op('Reshape', [t, g.int64([N, Hb * s, Wb * s, Cout], 'shape')])
  if (pt || pl || pb || pr) t = g.op('Slice', [t, g.int64([pt, pl], 'starts'), g.int64([pt + H, pl + W], 'ends'), g.int64([1, 2], 'axes')])
  return b ? g.op('Add', [t, numel(b.shape) === 1 ? g.op('Reshape', [b, g.int64([], 'shape')]) : b]) : t
}
