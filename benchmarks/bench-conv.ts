/**
 * npm run bench:conv [-- --rounds 15 --threads 2]
 *
 * Why training graphs lower convolutions to Gemms (sdk/graph/conv-gemm.ts): every k4 s2 p1 layer of the bench:train
 * CVAEs (small32, base64; batch 128), timed forward as onnxruntime's Conv / ConvTranspose and as both lowerings
 * (NCHW in and out, so the layout Transposes are included), round-robin in one process (this VM drifts ±15 % from
 * minute to minute), medians; thread spinning off so one session's idle pool does not steal the next one's cores. The peer row is the bare MatMul of the conv's exact size. Prints one JSON line, then
 * a table; `lowering` is what `auto` picks for the layer.
 */
import * as ort from 'onnxruntime-node'
import { parseArgs } from 'node:util'
import { conv2dGemm, conv2dIm2col, convTranspose2dGemm, convTranspose2dScatter, lowering, toNchw, toNhwc, type ConvGeometry } from '../sdk/graph/conv-gemm.js'
import { attr, Graph, type Value } from '../sdk/graph/graph.js'
import { resolveSpec } from '../sdk/model/spec.js'
import { Rng } from '../sdk/random.js'
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
async function session(build: Build, xs: number[], ws: number[], bs: number[]): Promise<ort.InferenceSession> {
  const g = new Graph()
  g.output(build(g, g.input('x', xs), g.input('w', ws), g.input('b', bs)), 'y')
  return ort.InferenceSession.create(graphModel(g, 'bench'), { intraOpNumThreads: Number(a.threads), interOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } })
}

const rng = new Rng(1)
const rows: Record<string, unknown>[] = []
for (const L of layers) {
  const conv = L.op === 'Conv'
  const lowSide = conv ? L.side / 2 : L.side
  const highSide = conv ? L.side : L.side * 2
  const xs = [B, L.cin, L.side, L.side]
  const ws = conv ? [L.cout, L.cin, 4, 4] : [L.cin, L.cout, 4, 4]
  const flops = 2 * B * lowSide * lowSide * L.cin * L.cout * 16
  const [highCh, lowCh] = conv ? [L.cin, L.cout] : [L.cout, L.cin]
  const picked = lowering('auto', [highSide, highSide], [lowSide, lowSide], highCh, lowCh, geo) ?? 'onnx'
  const lowered = (f: (g: Graph, x: Value, w: Value, b: Value, o: ConvGeometry) => Value): Build => (g, x, w, b) => toNchw(g, f(g, toNhwc(g, x), w, b, geo))
  const variants: [string, ort.InferenceSession, ort.InferenceSession.FeedsType][] = []
  const feeds = { x: new ort.Tensor('float32', rng.normals(xs.reduce((p, q) => p * q)), xs), w: new ort.Tensor('float32', rng.normals(ws.reduce((p, q) => p * q)), ws), b: new ort.Tensor('float32', rng.normals(L.cout), [L.cout]) }
  variants.push(['onnx', await session((g, x, w, b) => g.op(L.op, [x, w, b], onnxAttrs), xs, ws, [L.cout]), feeds])
  variants.push(['high', await session(lowered(conv ? conv2dGemm : convTranspose2dGemm), xs, ws, [L.cout]), feeds])
  variants.push(['low', await session(lowered(conv ? conv2dIm2col : convTranspose2dScatter), xs, ws, [L.cout]), feeds])
  // peer: the bare MatMul of the exact size, [B·h·w, 16·Cin] × [16·Cin, Cout] for a conv (and its transpose for a transposed conv)
  const [m, k, n] = conv ? [B * lowSide * lowSide, 16 * L.cin, L.cout] : [B * lowSide * lowSide, L.cin, 16 * L.cout]
  variants.push(['matmul', await session((g, x, w) => g.op('MatMul', [x, w]), [m, k], [k, n], [L.cout]), { x: new ort.Tensor('float32', rng.normals(m * k), [m, k]), w: new ort.Tensor('float32', rng.normals(k * n), [k, n]), b: feeds.b }])
  const times = new Map<string, number[]>(variants.map(([v]) => [v, []]))
  for (let r = 0; r < Number(a.rounds) + 2; r++) {
    for (const [v, s, f] of variants) {
      const t = performance.now()
      await s.run(f)
      if (r >= 2) times.get(v)!.push(performance.now() - t)
    }
  }
  const med = (v: string): number => { const t = [...times.get(v)!].sort((p, q) => p - q); return t[t.length >> 1]! }
  const gf = (v: string): number => Number((flops / med(v) / 1e6).toFixed(1))
  rows.push({ layer: L.name, shape: `${L.cin}→${L.cout}, ${L.side}²→${conv ? L.side / 2 : L.side * 2}²`, onnx_gflops: gf('onnx'), high_gflops: gf('high'), low_gflops: gf('low'), matmul_gflops: gf('matmul'), auto: picked })
  for (const [, s] of variants) await s.release()
}
console.log(JSON.stringify({ bench: 'conv', batch: B, threads: Number(a.threads), rounds: Number(a.rounds), rows }))
console.log('\n| layer | channels, maps | ONNX op GFLOP/s | lowered, high side | lowered, low side | bare MatMul (peer) | `auto` picks |\n|---|---|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.layer} | ${r.shape} | ${r.onnx_gflops} | ${r.high_gflops} | ${r.low_gflops} | ${r.matmul_gflops} | ${r.auto} |`)
