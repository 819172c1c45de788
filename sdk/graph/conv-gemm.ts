/**
 * Convolutions lowered to one MatMul each, for training graphs. onnxruntime's CPU Conv and ConvTranspose run at
 * 35–50 GFLOP/s on the CVAE's low-resolution maps (an im2col Gemm per image that is too small to be efficient),
 * while a Gemm of the whole batch runs at 90–125 GFLOP/s on the same machine. With stride s and kernel k = q·s,
 * space-to-depth by s turns the conv into a q×q stride-1 one, whose q² shifted windows are summed:
 *
 * - conv: S = space-to-depth(pad(X)) in NHWC [N·Hb·Wb, s²C]; P = S·Wcat [N·Hb·Wb, q²·O]; Y = Σ_(a,b) window (a, b)
 *   of P's block (a, b). Its gradient (autodiff) is the same shape of work: dP = the output gradient padded into
 *   each window, side by side (the Split's gradient is a Concat), dWcat = Sᵀ·dP, dS = dP·Wcatᵀ.
 * - transposed conv: the input shifted into each window, side by side, times one weight matrix, then
 *   depth-to-space and crop.
 *
 * The weights keep their ONNX layout ([O, C, k, k] and [Cin, Cout, k, k]); they are rearranged in the graph, so
 * checkpoints and exported models do not depend on how the training graph lowered its convolutions. The
 * reduction grows by Hb·Wb / (h·w) (1.56× on 4×4 maps), so this pays where maps are small.
 */
import { attr, type Graph, type Value } from './graph.js'
import { numel } from './ops/rule.js'

/** How a layer's convolution is emitted: the ONNX op, one Gemm ({@link conv2dGemm}), or Gemm on small maps. */
export type ConvImpl = 'onnx' | 'gemm' | 'auto'

/** `auto` lowers a convolution to a Gemm when its low-resolution side has at most this many pixels. */
export const AUTO_GEMM_MAX_PIXELS = 64

export interface ConvGeometry {
  kernel: [number, number]
  strides: [number, number]
  /** [top, left, bottom, right] */
  pads: [number, number, number, number]
}

/** y + b over the last (channel) axis; a one-channel bias is added as a scalar (onnxruntime's fast broadcast path). */
function addBias(g: Graph, y: Value, b: Value | undefined): Value {
  if (!b) return y
  return g.op('Add', [y, numel(b.shape) === 1 ? g.op('Reshape', [b, g.int64([], 'shape')]) : b])
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
 * How a layer is lowered under `impl`, given its high-resolution H×W and low-resolution h×w maps and channels:
 * undefined = the ONNX op; 'low' = the q² windows applied on the low-resolution side (conv: im2col of the input;
 * transposed conv: scatter of the output), 'high' = on the high-resolution side (conv: shifted sum of the output;
 * transposed conv: shifted copies of the input) — whichever tensor the windows multiply is smaller.
 */
export function lowering(impl: ConvImpl | undefined, highRes: readonly number[], lowRes: readonly number[], highCh: number, lowCh: number, geo: ConvGeometry): 'low' | 'high' | undefined {
  if (!impl || impl === 'onnx' || geo.kernel[0] !== geo.kernel[1] || !spaceToDepthApplies(highRes, geo)) return undefined
  if (impl === 'auto' && lowRes[0]! * lowRes[1]! > AUTO_GEMM_MAX_PIXELS) return undefined
  const [k] = geo.kernel
  const [s] = geo.strides
  const q = k / s
  const Hb = (highRes[0]! + geo.pads[0] + geo.pads[2]) / s
  const Wb = (highRes[1]! + geo.pads[1] + geo.pads[3]) / s
  // 'low': the low-res side times k²·highCh (im2col columns / scattered outputs); 'high': the s²-blocked grid times q²·lowCh
  const lowSide = lowRes[0]! * lowRes[1]! * k * k * highCh
  const highSide = Hb * Wb * q * q * lowCh
  return lowSide < highSide ? 'low' : 'high'
}

/** A conv's space-to-depth input S and sizes: X [N,H,W,C] (NHWC), W [O,C,k,k], output h×wo. */
function convBlocks(g: Graph, x: Value, w: Value, { kernel: [k], strides: [s], pads }: ConvGeometry) {
  const q = k / s
  const { S, Hb, Wb } = spaceToDepthNhwc(g, x, s, pads)
  return { N: numel([x.shape[0]!]), C: numel([x.shape[3]!]), O: numel([w.shape[0]!]), k, s, q, S, Hb, Wb, h: Hb - q + 1, wo: Wb - q + 1 }
}

/** Y = Conv(X, W) + b as space-to-depth, one MatMul, and a sum of q² shifted windows. X [N,H,W,C] → Y [N,h,w,O] (NHWC), W [O,C,k,k]. */
export function conv2dGemm(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const { N, C, O, s, q, S, Hb, Wb, h, wo } = convBlocks(g, x, w, geo)
  // W [O, C, (a, i), (b, j)] → [(i, j, c), (a, b, o)]
  const wr = g.op('Reshape', [w, g.int64([O, C, q, s, q, s], 'shape')])
  const wcat = g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([3, 5, 1, 2, 4, 0]) }), g.int64([s * s * C, q * q * O], 'shape')])
  const p = g.op('MatMul', [S, wcat], {}, 'conv_gemm')
  const parts = q * q > 1 ? g.node('Split', [p, g.int64(new Array<number>(q * q).fill(O), 'split')], { axis: attr.i(1) }) : [p]
  let y: Value | undefined
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < q; c++) {
      const grid = g.op('Reshape', [parts[a * q + c]!, g.int64([N, Hb, Wb, O], 'shape')])
      const win = Hb === h && Wb === wo ? grid : g.op('Slice', [grid, g.int64([a, c], 'starts'), g.int64([a + h, c + wo], 'ends'), g.int64([1, 2], 'axes')])
      y = y ? g.op('Add', [y, win]) : win
    }
  }
  return addBias(g, y!, b)
}

/** Y = Conv(X, W) + b as im2col (the q² windows of the space-to-depth input side by side) and one MatMul; NHWC in and out. */
export function conv2dIm2col(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const { N, C, O, k, s, q, S, Hb, Wb, h, wo } = convBlocks(g, x, w, geo)
  const grid = g.op('Reshape', [S, g.int64([N, Hb, Wb, s * s * C], 'shape')])
  const wins: Value[] = []
  for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) wins.push(g.op('Slice', [grid, g.int64([a, c], 'starts'), g.int64([a + h, c + wo], 'ends'), g.int64([1, 2], 'axes')]))
  const cols = wins.length > 1 ? g.op('Concat', wins, { axis: attr.i(3) }) : wins[0]! // [N, h, w, (a, b, i, j, c)]
  // W [O, C, (a, i), (b, j)] → [(a, b, i, j, c), O]
  const wr = g.op('Reshape', [w, g.int64([O, C, q, s, q, s], 'shape')])
  const wm = g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([2, 4, 3, 5, 1, 0]) }), g.int64([k * k * C, O], 'shape')])
  const y = g.op('MatMul', [cols, wm], {}, 'conv_im2col') // [N, h, w, O]
  return addBias(g, y, b)
}

/** Sizes of a transposed conv in the space-to-depth view: input X [N,h,w,Cin] → padded output grid Hb×Wb blocks of s×s → output H×W. */
function transposedSizes(x: Value, w: Value, { kernel: [k], strides: [s], pads: [pt, pl, pb, pr] }: ConvGeometry) {
  const [N, h, wi, Cin] = x.shape.map((d) => numel([d])) as [number, number, number, number]
  const q = k / s
  const Hb = h + q - 1
  const Wb = wi + q - 1
  return { N, h, wi, Cin, Cout: numel([w.shape[1]!]), k, s, q, Hb, Wb, H: Hb * s - pt - pb, W: Wb * s - pl - pr }
}

/** [N·Hb·Wb, (i, j, co)] blocks → depth-to-space [N, Hb·s, Wb·s, Cout] → cropped by the pads → + b. */
function blocksToOutput(g: Graph, t: Value, b: Value | undefined, { N, Hb, Wb, s, Cout, H, W }: ReturnType<typeof transposedSizes>, [pt, pl, pb, pr]: readonly number[]): Value {
  t = g.op('Transpose', [g.op('Reshape', [t, g.int64([N, Hb, Wb, s, s * Cout], 'shape')])], { perm: attr.ints([0, 1, 3, 2, 4]) })
  t = g.op('Reshape', [t, g.int64([N, Hb * s, Wb * s, Cout], 'shape')])
  if (pt || pl || pb || pr) t = g.op('Slice', [t, g.int64([pt!, pl!], 'starts'), g.int64([pt! + H, pl! + W], 'ends'), g.int64([1, 2], 'axes')])
  return addBias(g, t, b)
}

/** Y = ConvTranspose(X, W) + b as one MatMul to every output window, scattered (padded) into place and summed; NHWC in and out. */
export function convTranspose2dScatter(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const z = transposedSizes(x, w, geo)
  const { h, wi, Cin, Cout, k, s, q, Hb, Wb } = z
  // W [Cin, Cout, (a, i), (b, j)] → [ci, (a, b, i, j, co)]
  const wr = g.op('Reshape', [w, g.int64([Cin, Cout, q, s, q, s], 'shape')])
  const wall = g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([0, 2, 4, 3, 5, 1]) }), g.int64([Cin, k * k * Cout], 'shape')])
  const y = g.op('MatMul', [x, wall], {}, 'convT_scatter') // [N, h, w, (a, b, i, j, co)]
  const parts = q * q > 1 ? g.node('Split', [y, g.int64(new Array<number>(q * q).fill(s * s * Cout), 'split')], { axis: attr.i(3) }) : [y]
  let t: Value | undefined
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < q; c++) {
      const p = parts[a * q + c]!
      const placed = Hb === h && Wb === wi ? p : g.op('Pad', [p, g.int64([0, a, c, 0, 0, Hb - h - a, Wb - wi - c, 0], 'pads')])
      t = t ? g.op('Add', [t, placed]) : placed
    }
  }
  return blocksToOutput(g, t!, b, z, geo.pads)
}

/** Y = ConvTranspose(X, W) + b as the input shifted into q² windows side by side, one MatMul, depth-to-space. X [N,h,w,Cin] → Y [N,H,W,Cout] (NHWC), W [Cin, Cout, k, k]. */
export function convTranspose2dGemm(g: Graph, x: Value, w: Value, b: Value | undefined, geo: ConvGeometry): Value {
  const z = transposedSizes(x, w, geo)
  const { N, h, wi, Cin, Cout, s, q, Hb, Wb } = z
  const parts: Value[] = []
  for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) parts.push(q === 1 ? x : g.op('Pad', [x, g.int64([0, a, c, 0, 0, Hb - h - a, Wb - wi - c, 0], 'pads')]))
  const zcat = g.op('Reshape', [parts.length > 1 ? g.op('Concat', parts, { axis: attr.i(3) }) : parts[0]!, g.int64([N * Hb * Wb, q * q * Cin], 'shape')])
  // W [Cin, Cout, (a, i), (b, j)] → [(a, b, ci), (i, j, co)]
  const wr = g.op('Reshape', [w, g.int64([Cin, Cout, q, s, q, s], 'shape')])
  const wt = g.op('Reshape', [g.op('Transpose', [wr], { perm: attr.ints([2, 4, 0, 3, 5, 1]) }), g.int64([q * q * Cin, s * s * Cout], 'shape')])
  return blocksToOutput(g, g.op('MatMul', [zcat, wt], {}, 'convT_gemm'), b, z, geo.pads)
}
