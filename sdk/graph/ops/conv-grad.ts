/**
 * The convolution weight gradient dW[o,c,i,j] = Σ_{n,y,x} G[n,o,y,x] · X[n,c,y·s−p+i, x·s−p+j], in standard
 * ONNX ops (onnxruntime has no ConvGrad outside its training build), for the convolutions a graph keeps as ONNX
 * Conv / ConvTranspose. (Training step graphs lower the small-map ones to a Gather and a Gemm, sdk/graph/conv-gemm.ts,
 * whose hand-written weight gradient is one Gemm colsᵀ·dY.) Ways, chosen per graph:
 *
 * - `dilated`: a Conv over batch-transposed tensors, X as [C,N,H,W] and G as the kernel [O,N,h,w] with
 *   dilation = stride. Any shape; slow in MLAS (~27 GFLOP/s measured) because the "kernel" is huge.
 * - `batched` (k divisible by s, (H+2p) divisible by s): pad and SpaceToDepth in NCHW, then per shifted window one
 *   batched MatMul [N, s²C, h·w] × [N, h·w, O] and a ReduceSum over N: 71 GFLOP/s vs 51 for an im2col
 *   built from space-to-depth windows (Slices + Concat + one Gemm; `gather` below is its better form) and
 *   50 for `dilated` (k4 s2, batch 128, 32→64 ch, quiet 2-core machine).
 * - `shift` (same conditions): the windows applied to the output gradient instead (zero-padded into the
 *   space-to-depth grid once per window, side by side) and one Gemm Sᵀ·Gcat; ~2× `batched` on 4×4 output maps,
 *   slower on 8×8 and larger (round-robin micro-benchmark).
 * - `gather` (X with ≥ 8 channels, else `batched`): im2col as one Gather of NHWC pixel rows by a constant window
 *   table (sdk/graph/conv-gemm.ts) and one Gemm colsᵀ·G, exact FLOPs, any geometry; 311 vs 328 ms per base64 step
 *   for `batched` on its 16×16 layers (round-robin), 28 vs 33 ms for that weight gradient alone.
 * - `auto` (default): `gather` where X has ≥ 8 channels; otherwise `shift` where the output map has ≤ 16 pixels,
 *   else `batched`.
 *
 * Measured in the whole step graph and not used (round-robin medians, small32 / base64): one Gemm
 * over K = N·Hb·Wb with the output gradient shifted per window by zero Pads (0.82× / 0.94× of `batched`), per
 * sample as one batched MatMul without any X copy (0.83× at small32), row-only windows (0.96× / 1.05×),
 * channel-major im2col (0.89× / 1.03×), two half-batch towers under onnxruntime's parallel executor (0.73×); two
 * sessions under Promise.all do not overlap in onnxruntime-node.
 */
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'
import { im2col, MIN_ROW_FLOATS, spaceToDepthApplies, spaceToDepthNhwc, toNhwc, type ConvGeometry } from './im2col.js'
import { numel } from './rule.js'

export type ConvWeightGrad = 'dilated' | 'batched' | 'shift' | 'gather' | 'auto'

export type { ConvGeometry }

/** dW [O, C, kh, kw] from the conv input X [N,C,H,W] and output gradient G [N,O,h,w]; `gOutNhwc` gives G in NHWC (shared with the input gradient). */
export function convWeightGrad(g: Graph, x: Value, gOut: Value, geo: ConvGeometry, how: ConvWeightGrad = 'auto', gOutNhwc: () => Value = () => toNhwc(g, gOut)): Value {
  const rows = numel([x.shape[1]!]) >= MIN_ROW_FLOATS
  if (how === 'auto' && rows) how = 'gather'
  if (how === 'gather' && rows) return viaGather(g, x, gOut, gOutNhwc, geo)
  if (how === 'dilated' || !spaceToDepthApplies(x.shape.slice(2).map((d) => numel([d])), geo)) return viaDilatedConv(g, x, gOut, geo)
  if (how === 'auto') how = numel(gOut.shape.slice(2)) <= 16 ? 'shift' : 'batched'
  if (how === 'shift') return viaShiftedGemm(g, x, gOutNhwc(), geo)
  return viaBatchedMatMul(g, x, gOut, geo)
}

/** `gather`: im2col of X as one Gather of NHWC pixel rows (sdk/graph/conv-gemm.ts) and one Gemm colsᵀ·G; any geometry. */
function viaGather(g: Graph, x: Value, gOut: Value, gOutNhwc: () => Value, geo: ConvGeometry): Value {
  const [, C] = x.shape.map((d) => numel([d])) as [number, number]
  const [N, O, h, w] = gOut.shape.map((d) => numel([d])) as [number, number, number, number]
  const [kh, kw] = geo.kernel
  const cols = im2col(g, toNhwc(g, x), geo, [h, w])
  const dw = g.op('Gemm', [cols, g.op('Reshape', [gOutNhwc(), g.int64([N * h * w, O], 'shape')])], { transA: attr.i(1) }, 'dw_gemm') // [(a, b, c), O]
  return g.op('Transpose', [g.op('Reshape', [dw, g.int64([kh, kw, C, O], 'shape')])], { perm: attr.ints([3, 2, 0, 1]) })
}

function viaBatchedMatMul(g: Graph, x: Value, gOut: Value, { kernel: [kh, kw], strides: [s], pads: [pt, pl, pb, pr] }: ConvGeometry): Value {
  const [N, C] = x.shape.map((d) => numel([d])) as [number, number]
  const [, O, h, w] = gOut.shape.map((d) => numel([d])) as [number, number, number, number]
  const qh = kh / s
  const qw = kw / s
  let t = x
  if (pt || pl || pb || pr) t = g.op('Pad', [t, g.int64([0, 0, pt, pl, 0, 0, pb, pr], 'pads')])
  // [N, s·s·C, Hb, Wb], channel (i·s + j)·C + c holds X[n, c, y·s + i, x·s + j]
  if (s > 1) t = g.op('SpaceToDepth', [t], { blocksize: attr.i(s) })
  const gt = g.op('Transpose', [g.op('Reshape', [gOut, g.int64([N, O, h * w], 'shape')])], { perm: attr.ints([0, 2, 1]) }) // [N, h·w, O]
  const parts: Value[] = []
  for (let a = 0; a < qh; a++) {
    for (let b = 0; b < qw; b++) {
      const win = t.shape[2] === h && t.shape[3] === w ? t : g.op('Slice', [t, g.int64([a, b], 'starts'), g.int64([a + h, b + w], 'ends'), g.int64([2, 3], 'axes')])
      const rows = g.op('Reshape', [win, g.int64([N, s * s * C, h * w], 'shape')])
      parts.push(g.op('ReduceSum', [g.op('MatMul', [rows, gt], {}, 'dw_matmul'), g.int64([0], 'axes')], { keepdims: attr.i(0) })) // [s·s·C, O]
    }
  }
  const all = parts.length > 1 ? g.op('Concat', parts, { axis: attr.i(0) }) : parts[0]!
  // [(a, b, i, j, c), O] → [O, C, a·s+i, b·s+j]
  const r = g.op('Reshape', [all, g.int64([qh, qw, s, s, C, O], 'shape')])
  return g.op('Reshape', [g.op('Transpose', [r], { perm: attr.ints([5, 4, 0, 2, 1, 3]) }), g.int64([O, C, kh, kw], 'shape')])
}

function viaDilatedConv(g: Graph, x: Value, gOut: Value, { kernel: [kh, kw], strides: [sh, sw], pads }: ConvGeometry): Value {
  const t = { perm: attr.ints([1, 0, 2, 3]) }
  const xt = g.op('Transpose', [x], t)
  const gt = g.op('Transpose', [gOut], t)
  let r = g.op('Conv', [xt, gt], { dilations: attr.ints([sh, sw]), pads: attr.ints(pads) }, 'dw_conv')
  if (r.shape[2] !== kh || r.shape[3] !== kw) r = g.op('Slice', [r, g.int64([0, 0], 'starts'), g.int64([kh, kw], 'ends'), g.int64([2, 3], 'axes')])
  return g.op('Transpose', [r], t)
}

/**
 * `shift`: the (k/s)² windows are applied to the output gradient instead of the input: G (NHWC) is zero-padded into
 * the Hb×Wb grid once per window offset (a, b), the copies side by side make Gcat [N·Hb·Wb, (a, b, o)], and one
 * Gemm Sᵀ·Gcat gives every window's [s²C, O] block. The reduction grows by Hb·Wb / (h·w) but the copies are of G
 * (small on low-resolution maps) and of contiguous NHWC rows.
 */
function viaShiftedGemm(g: Graph, x: Value, gt: Value, { kernel: [kh, kw], strides: [s], pads }: ConvGeometry): Value {
  const C = numel([x.shape[1]!])
  const [N, h, w, O] = gt.shape.map((d) => numel([d])) as [number, number, number, number] // G in NHWC
  const qh = kh / s
  const qw = kw / s
  const { S, Hb, Wb } = spaceToDepthNhwc(g, toNhwc(g, x), s, pads)
  const parts: Value[] = []
  for (let a = 0; a < qh; a++) for (let b = 0; b < qw; b++) parts.push(g.op('Pad', [gt, g.int64([0, a, b, 0, 0, Hb - h - a, Wb - w - b, 0], 'pads')]))
  const gcat = g.op('Reshape', [parts.length > 1 ? g.op('Concat', parts, { axis: attr.i(3) }) : parts[0]!, g.int64([N * Hb * Wb, qh * qw * O], 'shape')])
  const dw = g.op('Gemm', [S, gcat], { transA: attr.i(1) }, 'dw_gemm') // [(i, j, c), (a, b, o)]
  // → [O, C, a·s+i, b·s+j]
  const r = g.op('Reshape', [dw, g.int64([s, s, C, qh, qw, O], 'shape')])
  return g.op('Reshape', [g.op('Transpose', [r], { perm: attr.ints([5, 2, 3, 0, 4, 1]) }), g.int64([O, C, kh, kw], 'shape')])
}
