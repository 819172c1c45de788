/**
 * Convolutions lowered to Gemms (sdk/graph/conv-gemm.ts), as training step graphs emit them: the same numbers as
 * onnxruntime's Conv / ConvTranspose, and gradients that match finite differences.
 */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { conv2dGemm, conv2dIm2col, convTranspose2dGemm, convTranspose2dScatter, lowering, toNchw, toNhwc, type ConvGeometry } from '../../sdk/graph/conv-gemm.js'
import { attr, Graph, type Value } from '../../sdk/graph/graph.js'
import { Rng } from '../../sdk/random.js'
import { graphModel } from '../../sdk/train/session.js'
import { gradCheck } from '../helpers/gradcheck.js'

const geo = (k: number, s: number, p: number): ConvGeometry => ({ kernel: [k, k], strides: [s, s], pads: [p, p, p, p] })
const onnxAttrs = (o: ConvGeometry) => ({ kernel_shape: attr.ints(o.kernel), strides: attr.ints(o.strides), pads: attr.ints(o.pads) })
type Lowered = (g: Graph, x: Value, w: Value, b: Value | undefined, o: ConvGeometry) => Value

// [name, lowered form, ONNX op, x shape, w shape, geometry]
const cases: [string, Lowered, 'Conv' | 'ConvTranspose', number[], number[], ConvGeometry][] = [
  ['conv, shifted output sum', conv2dGemm, 'Conv', [3, 5, 8, 8], [6, 5, 4, 4], geo(4, 2, 1)],
  ['conv, im2col', conv2dIm2col, 'Conv', [3, 5, 8, 8], [6, 5, 4, 4], geo(4, 2, 1)],
  ['conv, im2col, one input channel, non-square', conv2dIm2col, 'Conv', [2, 1, 8, 6], [4, 1, 4, 4], geo(4, 2, 1)],
  ['conv k6 s2 p2 (q = 3)', conv2dGemm, 'Conv', [2, 3, 8, 8], [4, 3, 6, 6], geo(6, 2, 2)],
  ['conv k2 s2 p0 (q = 1)', conv2dGemm, 'Conv', [2, 3, 8, 8], [4, 3, 2, 2], geo(2, 2, 0)],
  ['transposed conv, shifted input', convTranspose2dGemm, 'ConvTranspose', [3, 5, 4, 4], [5, 6, 4, 4], geo(4, 2, 1)],
  ['transposed conv, output scatter', convTranspose2dScatter, 'ConvTranspose', [3, 5, 4, 4], [5, 6, 4, 4], geo(4, 2, 1)],
  ['transposed conv, output scatter, one output channel', convTranspose2dScatter, 'ConvTranspose', [2, 4, 4, 3], [4, 1, 4, 4], geo(4, 2, 1)],
  ['transposed conv k6 s2 p2', convTranspose2dGemm, 'ConvTranspose', [2, 3, 4, 4], [3, 4, 6, 6], geo(6, 2, 2)],
]

const lowered = (f: Lowered, o: ConvGeometry) => (g: Graph, [x, w, b]: Value[]): Value => toNchw(g, f(g, toNhwc(g, x!), w!, b, o))

describe('convolutions lowered to Gemms', () => {
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
    it(`${name}: gradients match finite differences`, async () => {
      const outCh = op === 'Conv' ? ws[0]! : ws[1]!
      const r = await gradCheck(lowered(f, o), [{ shape: xs }, { shape: ws }, { shape: [outCh] }])
      expect(r.maxRelError, r.details.join('\n')).toBeLessThan(2e-3)
    })
  }

  it('picks the side whose windowed tensor is smaller, and only where the maps are small under "auto"', () => {
    const k4 = geo(4, 2, 1)
    // one input channel: im2col columns (16 per pixel) beat shifted outputs (4·32 per block)
    expect(lowering('gemm', [32, 32], [16, 16], 1, 32, k4)).toBe('low')
    // 64 → 64 channels on 8 → 4 maps: the shifted sum over 5×5 blocks moves less than 16·64 columns per pixel
    expect(lowering('gemm', [8, 8], [4, 4], 64, 64, k4)).toBe('high')
    expect(lowering('auto', [8, 8], [4, 4], 64, 64, k4)).toBe('high')
    expect(lowering('auto', [32, 32], [16, 16], 1, 32, k4)).toBeUndefined()
    expect(lowering('onnx', [8, 8], [4, 4], 64, 64, k4)).toBeUndefined()
    // k3 s2: the kernel is not a multiple of the stride
    expect(lowering('gemm', [8, 8], [4, 4], 8, 8, geo(3, 2, 1))).toBeUndefined()
  })
})
