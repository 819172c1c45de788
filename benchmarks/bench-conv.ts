/**
 * npm run bench:conv [-- --rounds 15 --threads 2]
 *
 * Why training graphs lower convolutions to Gemms (sdk/graph/conv-gemm.ts): every k4 s2 p1 layer of the bench:train
 * CVAEs (small32, base64; batch 128), timed as onnxruntime's Conv / ConvTranspose (NCHW; its training gradient
 * with the default weight-gradient method) and as the Gather + Gemm lowering (NHWC, as lowered layers hand maps to
 * each other; hand-written gradient), forward alone and forward + backward (dX, dW, db), round-robin in one process
 * (this VM drifts ±15 % from minute to minute), medians; thread spinning off so one session's idle pool does not
 * steal the next one's cores. The peer is the bare MatMul of the conv's exact size (forward). GFLOP/s count the
 * conv's own arithmetic (×3 with the backward; ×2 for the first layer, whose input needs no gradient). Prints one
 * JSON line, then a table; `auto` is what step graphs pick for the layer.
 */
import * as ort from 'onnxruntime-node'
import { parseArgs } from 'node:util'
import { conv2dGather, convTranspose2dGather, lowering } from '../sdk/graph/conv-gemm.js'
import type { ConvGeometry } from '../sdk/graph/ops/im2col.js'
import { attr, Graph, type Value } from '../sdk/graph/graph.js'
import { resolveSpec } from '../sdk/model/spec.js'
import { Rng } from '../sdk/random.js'
import { gradients } from '../sdk/train/autodiff.js'
import { graphModel } from '../sdk/train/session.js'

const { values: a } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, threads: { type: 'string', default: '2' } } })
const B = 128
const geo: ConvGeometry = { kernel: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1] }
const onnxAttrs = { kernel_shape: attr.ints(geo.kernel), strides: attr.ints(geo.strides), pads: attr.ints(geo.pads) }

interface Layer { name: string; op: 'Conv' | 'ConvTranspose'; cin: number; cout: number; side: number /* input side */ }
const layers: Layer[] = []
for (const preset of ['small32', 'base64']) {
  const s = resolveSpec(preset, 10)
  let side = s.imageSize
  let ch = s.channels
  s.encoder.conv.forEach((out, i) => { layers.push({ name: `${preset} enc conv${i}`, op: 'Conv', cin: ch, cout: out, side }); ch = out; side /= 2 })
  const dc = s.decoder.conv
  side = s.imageSize / 2 ** dc.length
  dc.forEach((cin, i) => { const cout = i === dc.length - 1 ? s.channels : dc[i + 1]!; layers.push({ name: `${preset} dec deconv${i}`, op: 'ConvTranspose', cin, cout, side }); side *= 2 })
}

type Build = (g: Graph, x: Value, w: Value, b: Value) => Value
/** The layer alone, or with its backward: loss = Σ y·r (r a fed tensor the shape of y), outputs dX (unless first), dW, db. */
async function session(build: Build, xs: number[], ws: number[], bs: number[], backward: { ys: number[]; dx: boolean } | undefined): Promise<ort.InferenceSession> {
  const g = new Graph()
  const [x, w, b] = [g.input('x', xs), g.input('w', ws), g.input('b', bs)]
  const y = build(g, x, w, b)
  if (!backward) g.output(y, 'y')
  else {
    const loss = g.op('ReduceSum', [g.op('Mul', [y, g.input('r', backward.ys)])], { keepdims: attr.i(0) })
    const wrt = backward.dx ? [x, w, b] : [w, b]
    const d = gradients(g, loss, wrt)
    wrt.forEach((v, k) => g.output(d.get(v.name)!, `d${k}`))
  }
  return ort.InferenceSession.create(graphModel(g, 'bench'), { intraOpNumThreads: Number(a.threads), interOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } })
}

const rng = new Rng(1)
const rows: Record<string, unknown>[] = []
for (const L of layers) {
  const conv = L.op === 'Conv'
  const lowSide = conv ? L.side / 2 : L.side
  const highSide = conv ? L.side : L.side * 2
  const outSide = conv ? L.side / 2 : L.side * 2
  const nchwX = [B, L.cin, L.side, L.side]
  const nhwcX = [B, L.side, L.side, L.cin]
  const nchwY = [B, L.cout, outSide, outSide]
  const nhwcY = [B, outSide, outSide, L.cout]
  const ws = conv ? [L.cout, L.cin, 4, 4] : [L.cin, L.cout, 4, 4]
  const flops = 2 * B * lowSide * lowSide * L.cin * L.cout * 16
  const first = L.name.endsWith('conv0') && conv
  const highCh = conv ? L.cin : L.cout
  const picked = lowering('auto', [highSide, highSide], [lowSide, lowSide], highCh, geo) ?? 'onnx'
  const form = lowering('gemm', [highSide, highSide], [lowSide, lowSide], highCh, geo)
  const onnxOp: Build = (g, x, w, b) => g.op(L.op, [x, w, b], onnxAttrs)
  const gathered: Build = (g, x, w, b) => (conv ? conv2dGather : convTranspose2dGather)(g, x, w, b, geo, form === 'blocks')
  const t = (shape: number[]) => new ort.Tensor('float32', rng.normals(shape.reduce((p, q) => p * q)), shape)
  const w = t(ws)
  const bias = t([L.cout])
  const fNchw = { x: t(nchwX), w, b: bias }
  const fNhwc = { x: t(nhwcX), w, b: bias }
  const variants: [string, ort.InferenceSession, ort.InferenceSession.FeedsType][] = [
    ['onnx', await session(onnxOp, nchwX, ws, [L.cout], undefined), fNchw],
    ['gather', await session(gathered, nhwcX, ws, [L.cout], undefined), fNhwc],
    ['onnx+bwd', await session(onnxOp, nchwX, ws, [L.cout], { ys: nchwY, dx: !first }), { ...fNchw, r: t(nchwY) }],
    ['gather+bwd', await session(gathered, nhwcX, ws, [L.cout], { ys: nhwcY, dx: !first }), { ...fNhwc, r: t(nhwcY) }],
  ]
  // peer: the bare MatMul of the exact size, [B·h·w, 16·Cin] × [16·Cin, Cout] for a conv (and its transpose for a transposed conv)
  const [m, k, n] = conv ? [B * lowSide * lowSide, 16 * L.cin, L.cout] : [B * lowSide * lowSide, L.cin, 16 * L.cout]
  variants.push(['matmul', await session((g, x, w) => g.op('MatMul', [x, w]), [m, k], [k, n], [L.cout], undefined), { x: t([m, k]), w: t([k, n]), b: bias }])
  const times = new Map<string, number[]>(variants.map(([v]) => [v, []]))
  for (let r = 0; r < Number(a.rounds) + 2; r++) {
    for (const [v, s, f] of variants) {
      const t0 = performance.now()
      await s.run(f)
      if (r >= 2) times.get(v)!.push(performance.now() - t0)
    }
  }
  const med = (v: string): number => { const t = [...times.get(v)!].sort((p, q) => p - q); return t[t.length >> 1]! }
  const gf = (v: string, passes = 1): number => Number(((passes * flops) / med(v) / 1e6).toFixed(1))
  const passes = first ? 2 : 3
  rows.push({ layer: L.name, shape: `${L.cin}→${L.cout}, ${L.side}²→${outSide}²`, form, onnx_gflops: gf('onnx'), gather_gflops: gf('gather'), onnx_train_gflops: gf('onnx+bwd', passes), gather_train_gflops: gf('gather+bwd', passes), matmul_gflops: gf('matmul'), auto: picked })
  for (const [, s] of variants) await s.release()
}
console.log(JSON.stringify({ bench: 'conv', batch: B, threads: Number(a.threads), rounds: Number(a.rounds), rows }))
console.log('\n| layer | channels, maps | ONNX op fwd | lowered fwd | ONNX op fwd+bwd | lowered fwd+bwd | bare MatMul (peer) | `auto` picks |\n|---|---|---|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.layer} | ${r.shape} | ${r.onnx_gflops} | ${r.gather_gflops} (${r.form}) | ${r.onnx_train_gflops} | ${r.gather_train_gflops} | ${r.matmul_gflops} | ${r.auto} |`)
