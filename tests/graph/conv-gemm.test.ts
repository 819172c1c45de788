/**
 * Convolutions lowered to Gathers and Gemms (sdk/graph/conv-gemm.ts), as training step graphs emit them: the same
 * numbers as onnxruntime's Conv / ConvTranspose, hand-written gradients that match finite differences, and the
 * window tables' inverse is the adjoint of the windows.
 */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { conv2dGather, convTranspose2dGather, lowering } from '../../sdk/graph/conv-gemm.js'
import { toNchw, toNhwc, windowTables, type ConvGeometry } from '../../sdk/graph/ops/im2col.js'
import { attr, Graph, type Value } from '../../sdk/graph/graph.js'
import { Rng } from '../../sdk/random.js'
import { gradients } from '../../sdk/train/autodiff.js'
import { graphModel } from '../../sdk/train/session.js'
import { gradCheck } from '../helpers/gradcheck.js'

const geo = (k: number, s: number, p: number): ConvGeometry => ({ kernel: [k, k], strides: [s, s], pads: [p, p, p, p] })
const onnxAttrs = (o: ConvGeometry) => ({ kernel_shape: attr.ints(o.kernel), strides: attr.ints(o.strides), pads: attr.ints(o.pads) })
type Lowered = (g: Graph, x: Value, w: Value, b: Value | undefined, o: ConvGeometry) => Value
const rowsConv: Lowered = (g, x, w, b, o) => conv2dGather(g, x, w, b, o)
const blocksConv: Lowered = (g, x, w, b, o) => conv2dGather(g, x, w, b, o, true)
const rowsConvT: Lowered = (g, x, w, b, o) => convTranspose2dGather(g, x, w, b, o)
const blocksConvT: Lowered = (g, x, w, b, o) => convTranspose2dGather(g, x, w, b, o, true)

// [name, lowered form, ONNX op, x shape, w shape, geometry]
const cases: [string, Lowered, 'Conv' | 'ConvTranspose', number[], number[], ConvGeometry][] = [
  ['conv k4 s2 p1, pixel rows', rowsConv, 'Conv', [3, 5, 8, 8], [6, 5, 4, 4], geo(4, 2, 1)],
  ['conv k3 s2 p1 on an odd, non-square map', rowsConv, 'Conv', [2, 3, 7, 5], [4, 3, 3, 3], geo(3, 2, 1)],
  ['conv k6 s2 p2', rowsConv, 'Conv', [2, 3, 8, 8], [4, 3, 6, 6], geo(6, 2, 2)],
  ['conv k2 s2 p0 (no overlap)', rowsConv, 'Conv', [2, 3, 8, 8], [4, 3, 2, 2], geo(2, 2, 0)],
  ['conv on space-to-depth blocks, one input channel, non-square', blocksConv, 'Conv', [2, 1, 8, 6], [4, 1, 4, 4], geo(4, 2, 1)],
  ['transposed conv k4 s2 p1, pixel rows', rowsConvT, 'ConvTranspose', [3, 5, 4, 4], [5, 6, 4, 4], geo(4, 2, 1)],
  ['transposed conv k3 s2 p1, non-square', rowsConvT, 'ConvTranspose', [2, 3, 4, 3], [3, 4, 3, 3], geo(3, 2, 1)],
  ['transposed conv k6 s2 p2', rowsConvT, 'ConvTranspose', [2, 3, 4, 4], [3, 4, 6, 6], geo(6, 2, 2)],
  ['transposed conv onto space-to-depth blocks, one output channel', blocksConvT, 'ConvTranspose', [2, 4, 4, 3], [4, 1, 4, 4], geo(4, 2, 1)],
]

const lowered = (f: Lowered, o: ConvGeometry) => (g: Graph, [x, w, b]: Value[]): Value => toNchw(g, f(g, toNhwc(g, x!), w!, b, o))

describe('convolutions lowered to Gathers and Gemms', () => {
  for (const [name, f, op, xs, ws, o] of cases) {
    it(`${name}: same output as onnxruntime's ${op}`, async () => {
      const outCh = op === 'Conv' ? ws[0]! : ws[1]!
      const g = new Graph()
      const [x, w, b] = [g.input('x', xs), g.input('w', ws), g.input('b', [outCh])]
      g.output(g.op(op, [x, w, b], onnxAttrs(o)), 'ref')
      g.output(lowered(f, o)(g, [x, w, b]), 'low')
      const session = await ort.InferenceSession.create(graphModel(g, 'eq'))
      const rng = new Rng(4)
      const t = (shape: number[]) => new ort.Tensor('float32', rng.normals(shape.reduce((a, c) => a * c, 1)), shape)
      const out = await session.run({ x: t(xs), w: t(ws), b: t([outCh]) })
      const ref = out.ref!.data as Float32Array
      const low = out.low!.data as Float32Array
      expect(out.low!.dims).toEqual(out.ref!.dims)
      let worst = 0
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - low[i]!))
      expect(worst).toBeLessThan(1e-4)
    })
    it(`${name}: hand-written gradients match finite differences`, async () => {
      const outCh = op === 'Conv' ? ws[0]! : ws[1]!
      const r = await gradCheck(lowered(f, o), [{ shape: xs }, { shape: ws }, { shape: [outCh] }])
      expect(r.maxRelError, r.details.join('\n')).toBeLessThan(2e-3)
    })
  }

  it('window tables: every window entry that reads the input is listed once in the inverse, padding reads the zero row', () => {
    const N = 2
    const { windows, inverse, m } = windowTables(N, [5, 4], [3, 2], geo(3, 2, 1))
    expect(windows.length).toBe(N * 3 * 2 * 9)
    const rows = N * 5 * 4
    const zeroBlock = BigInt(windows.length)
    const listed = new Map<number, number>()
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < m; t++) {
        const k = inverse[r * m + t]!
        if (k === zeroBlock) continue
        expect(Number(windows[Number(k)])).toBe(r)
        listed.set(Number(k), (listed.get(Number(k)) ?? 0) + 1)
      }
    }
    windows.forEach((r, k) => expect(listed.get(k) ?? 0).toBe(r === BigInt(rows) ? 0 : 1))
    // tap (0, 0) of output pixel (0, 0) reads padding; tap (1, 1) reads input pixel (0, 0)
    expect(windows[0]).toBe(BigInt(rows))
    expect(windows[4]).toBe(0n)
  })

  it('autodiff calls the hand-written gradient once and skips the nodes inside', () => {
    const g = new Graph()
    const x = g.input('x', [2, 4, 4, 3])
    const w = g.param('w', [5, 3, 4, 4], new Float32Array(5 * 3 * 16))
    const y = conv2dGather(g, x, w, undefined, geo(4, 2, 1))
    const loss = g.op('ReduceSum', [y], { keepdims: attr.i(0) })
    const before = g.nodes.length
    gradients(g, loss, [w])
    const added = g.nodes.slice(before).map((n) => n.proto.opType)
    // dW = colsᵀ·dY: one Gemm; no Gather gradient (a second Gather), no dX for the graph input
    expect(added.filter((t) => t === 'Gemm')).toHaveLength(1)
    expect(added).not.toContain('Gather')
  })

  it('rejects a composite that reads a weight it does not list, naming it', () => {
    const g = new Graph()
    const x = g.input('x', [2, 3])
    const w = g.param('w', [3, 3], new Float32Array(9))
    expect(() => g.withGradient([x], () => [g.op('MatMul', [x, w])], () => [undefined])).toThrow(/reads the weight "w"/)
  })

  it('lowers small maps under "auto", the image layer beside a lowered one as blocks, nothing under "onnx"', () => {
    const k4 = geo(4, 2, 1)
    expect(lowering('gemm', [8, 8], [4, 4], 64, k4)).toBe('rows')
    expect(lowering('auto', [16, 16], [8, 8], 32, k4)).toBe('rows')
    expect(lowering('auto', [32, 32], [16, 16], 32, k4)).toBeUndefined()
    expect(lowering('gemm', [32, 32], [16, 16], 32, k4)).toBe('rows')
    // the one-channel image: 32² → 16² sits beside a lowered 16² → 8² layer; 64² → 32² beside an ONNX one
    expect(lowering('auto', [32, 32], [16, 16], 1, k4)).toBe('blocks')
    expect(lowering('auto', [64, 64], [32, 32], 1, k4)).toBeUndefined()
    expect(lowering('onnx', [8, 8], [4, 4], 64, k4)).toBeUndefined()
    // pixel rows take any geometry; blocks need a kernel that is a multiple of the stride
    expect(lowering('gemm', [8, 8], [4, 4], 8, geo(3, 2, 1))).toBe('rows')
    expect(lowering('gemm', [8, 8], [4, 4], 1, geo(3, 2, 1))).toBeUndefined()
  })
})
