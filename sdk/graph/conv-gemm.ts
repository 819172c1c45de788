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
import type { Graph } from './graph.js'
import { depthToSpaceNhwc, dimsOf, im2col, MIN_ROW_FLOATS, rowsOf, spaceToDepthApplies, spaceToDepthNhwc, tables, withZeroRow, type ConvGeometry, type Tables } from './ops/im2col.js'
import { numel } from './ops/rule.js'
import { attr, type Value } from './value.js'

/** How a layer's convolution is emitted: the ONNX op, a Gemm ({@link conv2dGather}), or Gemm on small maps. */
export type ConvImpl = 'onnx' | 'gemm' | 'auto'

/** `auto` lowers a convolution to a Gemm when its low-resolution side has at most this many pixels. */
export const AUTO_GEMM_MAX_PIXELS = 64

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

/** col2im: table rows [(R + 1)·k², C] summed into the grid rows the inverse tables list, plus an optional bias, in one Sum (faster than one Gather + ReduceSum over a middle axis). */
function overlapSum(g: Graph, table: Value, t: Tables, b?: Value): Value {
  const parts = t.inverse().map((ix) => g.op('Gather', [table, ix], { axis: attr.i(0) }, 'col2im'))
  if (b) parts.push(b)
  return parts.length > 1 ? g.op('Sum', parts) : parts[0]!
}

/**
 * Y = conv(X) + b on a grid: X [N,H,W,C] (NHWC), the weights as the matrix wm [kh·kw·C, O] (rows in window-tap then
 * channel order), Y [N,h,w,O]. im2col by one Gather, one Gemm; hand-written gradient (see the file comment).
 */
export function im2colGemm(g: Graph, x: Value, wm: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const [N, H, W, C] = dimsOf(x) as [number, number, number, number]
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
  const [N, h, w, Cin] = dimsOf(x) as [number, number, number, number]
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
  const [O, C, kh, kw] = dimsOf(w) as [number, number, number, number]
  const wr = g.op('Reshape', [w, g.int64([O, C, kh / s, s, kw / s, s], 'shape')])
  return g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([2, 4, 3, 5, 1, 0]) }), g.int64([kh * kw * C, O], 'shape')])
}

/** W [Cin, Cout, kh, kw] with kh = q·s → columns (a, b, i, j, co) for the block grid, or (kh, kw, co) for pixel rows (s = 1). */
function convTransposeMatrix(g: Graph, w: Value, s: number): Value {
  const [Cin, Cout, kh, kw] = dimsOf(w) as [number, number, number, number]
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
  const [N, h, wi] = dimsOf(x) as [number, number, number, number]
  const [, Cout, kh, kw] = dimsOf(w) as [number, number, number, number]
  const [s] = geo.strides
  const [pt, pl, pb, pr] = geo.pads
  if (!blocks) return col2imGemm(g, x, convTransposeMatrix(g, w, 1), b, geo, [(h - 1) * s + kh - pt - pb, (wi - 1) * geo.strides[1] + kw - pl - pr])
  const bg = blockGeometry(geo)
  const Hb = h + bg.kernel[0] - 1
  const Wb = wi + bg.kernel[1] - 1
  // depth-to-space, crop the padding, bias
  const t = depthToSpaceNhwc(g, col2imGemm(g, x, convTransposeMatrix(g, w, s), undefined, bg, [Hb, Wb]), [N, Hb, Wb, Cout], s, geo.pads)
  return b ? g.op('Add', [t, numel(b.shape) === 1 ? g.op('Reshape', [b, g.int64([], 'shape')]) : b]) : t
}
