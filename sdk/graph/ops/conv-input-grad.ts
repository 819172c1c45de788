/**
 * The input gradient dX of a convolution kept as an ONNX Conv (X [N,C,H,W], W [O,C,kh,kw], dY [N,O,h,w]):
 * dX[n,c,Y,X] = Σ_{o,i,j} dY[n,o,y,x] · W[o,c,i,j] over y·s − pt + i = Y, x·s − pl + j = X, the transposed
 * convolution of dY. Ways, chosen per graph:
 *
 * - `convT`: onnxruntime's ConvTranspose (per image one Gemm with K = O, then col2im). Any geometry.
 * - `phases` (kernel a multiple q·s of the stride s, padded input divisible by s): the transposed convolution split
 *   into its s² sub-pixel phases. On the space-to-depth grid of the padded input (Hb = (H + pt + pb) / s blocks),
 *   phase (r, t) of block (Yb, Xb) is pixel (s·Yb + r − pt, s·Xb + t − pl) of dX, and it receives dY pixel
 *   (Yb − u, Xb − v) through kernel tap (s·u + r, s·v + t), u, v < q. So every phase is a q×q stride-1 correlation
 *   of dY zero-padded by q − 1 with its own slice of W (flipped), and all phases together are ONE stride-1 Conv
 *   with s²·C output channels in DCR order, then DepthToSpace and the crop of the padding. The grid has
 *   (h + q − 1)·(w + q − 1) blocks for h·w pixels of dY: that ring is the extra arithmetic.
 * - `gather` (same conditions): the same phases in NHWC as the Gemm lowering does them (sdk/graph/conv-gemm.ts):
 *   im2col of dY as one Gather of pixel rows (the NHWC dY the `gather` weight gradient reads too), one Gemm over
 *   the whole batch, depth-to-space as a copy of s·C-float blocks, crop, NCHW.
 * - `auto` (default): `convT`. Measured on the glyph64s / icon64s training steps, where `phases` would apply to the
 *   encoder's second conv (dY 16×16): `npm run bench:train -- --presets glyph64s,icon64s --rounds 5 --dx phases`
 *   against `--dx convT` in the same session gave 556 vs 598 img/s (glyph64s) and 437 vs 439 (icon64s):
 *   DepthToSpace's NCHW interleave costs what the split saves. The split forms stay as options (`--dx`).
 */
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'
import { depthToSpaceNhwc, dimsOf, im2col, spaceToDepthApplies, toNchw, toNhwc, type ConvGeometry } from './im2col.js'

export type ConvInputGrad = 'convT' | 'phases' | 'gather' | 'auto'

/** The form {@link convInputGrad} emits for dX of a conv from an H×W map to an h×w map under `how`. */
export function inputGradForm(how: ConvInputGrad, high: readonly number[], _low: readonly number[], geo: ConvGeometry): 'convT' | 'phases' | 'gather' {
  if (how === 'convT' || how === 'auto' || !spaceToDepthApplies(high, geo)) return 'convT'
  return how
}

/** dX [N,C,H,W] of Y = Conv(X, W) from dY; `dyNhwc` gives dY in NHWC (shared with the weight gradient). */
export function convInputGrad(g: Graph, x: Value, w: Value, dy: Value, geo: ConvGeometry, how: ConvInputGrad = 'auto', dyNhwc: () => Value = () => toNhwc(g, dy)): Value {
  const form = inputGradForm(how, dimsOf(x).slice(2), dimsOf(dy).slice(2), geo)
  if (form === 'phases') return viaPhaseConv(g, x, w, dy, geo)
  if (form === 'gather') return viaPhaseGemm(g, x, w, dyNhwc(), geo)
  return viaConvTranspose(g, x, w, dy, geo)
}

function viaConvTranspose(g: Graph, x: Value, w: Value, dy: Value, geo: ConvGeometry): Value {
  const [, , H, W] = dimsOf(x) as [number, number, number, number]
  const [, , h, wd] = dimsOf(dy) as [number, number, number, number]
  // output_padding restores the rows and columns a floor in the conv's output size dropped
  const pad = [H - (geo.strides[0] * (h - 1) + geo.kernel[0] - geo.pads[0] - geo.pads[2]), W - (geo.strides[1] * (wd - 1) + geo.kernel[1] - geo.pads[1] - geo.pads[3])]
  const attrs = { kernel_shape: attr.ints(geo.kernel), strides: attr.ints(geo.strides), pads: attr.ints(geo.pads), ...(pad[0] || pad[1] ? { output_padding: attr.ints(pad) } : {}) }
  return g.op('ConvTranspose', [dy, w], attrs, 'dx_convT')
}

/**
 * W [O, C, kh, kw] rearranged for the phases by one Gather of its elements: `conv` gives the Conv kernel
 * [(r, t, c), o, a, b], `gemm` the matrix [(a, b, o), (r, t, c)]; entry (a, b) of a phase's window is tap
 * (s·(q − 1 − a) + r, s·(q − 1 − b) + t), the window reading dY from Yb − (q − 1) up to Yb.
 */
function phaseWeights(g: Graph, w: Value, s: number, layout: 'conv' | 'gemm'): Value {
  const [O, C, kh, kw] = dimsOf(w) as [number, number, number, number]
  const qh = kh / s
  const qw = kw / s
  const index = new BigInt64Array(O * C * kh * kw)
  let e = 0
  const put = (o: number, c: number, a: number, b: number, r: number, t: number): void => {
    index[e++] = BigInt(((o * C + c) * kh + s * (qh - 1 - a) + r) * kw + s * (qw - 1 - b) + t)
  }
  if (layout === 'conv') {
    for (let r = 0; r < s; r++) for (let t = 0; t < s; t++) for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) for (let a = 0; a < qh; a++) for (let b = 0; b < qw; b++) put(o, c, a, b, r, t)
  } else {
    for (let a = 0; a < qh; a++) for (let b = 0; b < qw; b++) for (let o = 0; o < O; o++) for (let r = 0; r < s; r++) for (let t = 0; t < s; t++) for (let c = 0; c < C; c++) put(o, c, a, b, r, t)
  }
  const shape = layout === 'conv' ? [s * s * C, O, qh, qw] : [qh * qw * O, s * s * C]
  const flat = g.op('Reshape', [w, g.int64([O * C * kh * kw], 'shape')])
  return g.op('Gather', [flat, g.constant(index, shape, 'phase_taps')], { axis: attr.i(0) }, 'phase_weights')
}

/** `phases`: one stride-1 Conv of dY to the s² phases (DCR channels) on the padded block grid, DepthToSpace, crop. */
function viaPhaseConv(g: Graph, x: Value, w: Value, dy: Value, geo: ConvGeometry): Value {
  const [, , H, W] = dimsOf(x) as [number, number, number, number]
  const [s] = geo.strides
  const [pt, pl, pb, pr] = geo.pads
  const q = [geo.kernel[0] / s, geo.kernel[1] / s]
  const attrs = { kernel_shape: attr.ints(q), strides: attr.ints([1, 1]), pads: attr.ints([q[0]! - 1, q[1]! - 1, q[0]! - 1, q[1]! - 1]) }
  let t = g.op('Conv', [dy, phaseWeights(g, w, s, 'conv')], attrs, 'dx_phases') // [N, (r, t, c), Hb, Wb]
  if (s > 1) t = g.op('DepthToSpace', [t], { blocksize: attr.i(s), mode: attr.s('DCR') })
  if (pt || pl || pb || pr) t = g.op('Slice', [t, g.int64([pt, pl], 'starts'), g.int64([pt + H, pl + W], 'ends'), g.int64([2, 3], 'axes')])
  return t
}

/** `gather`: the phases as im2col of NHWC dY (one Gather) and one Gemm, depth-to-space in NHWC, crop, NCHW. */
function viaPhaseGemm(g: Graph, x: Value, w: Value, dyNhwc: Value, geo: ConvGeometry): Value {
  const [N, C] = dimsOf(x) as [number, number]
  const [, h, wd] = dimsOf(dyNhwc) as [number, number, number, number]
  const [s] = geo.strides
  const qh = geo.kernel[0] / s
  const qw = geo.kernel[1] / s
  const grid = [h + qh - 1, wd + qw - 1]
  const cols = im2col(g, dyNhwc, { kernel: [qh, qw], strides: [1, 1], pads: [qh - 1, qw - 1, qh - 1, qw - 1] }, grid) // [N·Hb·Wb, (a, b, o)]
  const t = g.op('Gemm', [cols, phaseWeights(g, w, s, 'gemm')], {}, 'dx_phases') // [N·Hb·Wb, (r, t, c)]
  return toNchw(g, depthToSpaceNhwc(g, t, [N, grid[0]!, grid[1]!, C], s, geo.pads))
}
