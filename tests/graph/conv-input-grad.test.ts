/**
 * The input gradient of an ONNX Conv split into sub-pixel phases (sdk/graph/ops/conv-input-grad.ts): the same
 * numbers as onnxruntime's ConvTranspose on random inputs, finite differences, the shape rule, and the node it
 * changes in the shipped presets' step graphs.
 */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { attr, Graph } from '../../sdk/graph/graph.js'
import { heInit } from '../../sdk/graph/layers.js'
import { inputGradForm, type ConvInputGrad } from '../../sdk/graph/ops/conv-input-grad.js'
import type { ConvGeometry } from '../../sdk/graph/ops/im2col.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { decodeModel } from '../../sdk/onnx/model-proto.js'
import { Rng } from '../../sdk/random.js'
import { gradients, sumAll } from '../../sdk/train/autodiff.js'
import { buildStepGraph } from '../../sdk/train/graphs.js'
import { graphModel } from '../../sdk/train/session.js'
import { gradCheck } from '../helpers/gradcheck.js'

const geo = (k: number, s: number, pads: number[]): ConvGeometry => ({ kernel: [k, k], strides: [s, s], pads: pads as ConvGeometry['pads'] })

// [name, x shape, w shape, geometry]
const cases: [string, number[], number[], ConvGeometry][] = [
  ['k4 s2 p1 (the CVAE layers)', [3, 5, 8, 8], [6, 5, 4, 4], geo(4, 2, [1, 1, 1, 1])],
  ["k4 s2 p1, the 64² presets' enc conv1 at batch 4", [4, 32, 32, 32], [64, 32, 4, 4], geo(4, 2, [1, 1, 1, 1])],
  ['k4 s2 p1, non-square map, one input channel', [2, 1, 8, 6], [4, 1, 4, 4], geo(4, 2, [1, 1, 1, 1])],
  ['k4 s2, asymmetric pads', [2, 3, 8, 6], [4, 3, 4, 4], geo(4, 2, [2, 0, 0, 2])],
  ['k6 s2 p2 (3×3 windows per phase)', [2, 3, 8, 8], [4, 3, 6, 6], geo(6, 2, [2, 2, 2, 2])],
  ['k2 s2 p0 (no overlap, no crop)', [2, 3, 8, 8], [4, 3, 2, 2], geo(2, 2, [0, 0, 0, 0])],
  ['k3 s3 p0 (nine phases)', [2, 3, 9, 6], [4, 3, 3, 3], geo(3, 3, [0, 0, 0, 0])],
  ['k3 s1 p1 (one phase: a flipped conv)', [2, 3, 5, 5], [4, 3, 3, 3], geo(3, 1, [1, 1, 1, 1])],
]

const convAttrs = (o: ConvGeometry) => ({ kernel_shape: attr.ints(o.kernel), strides: attr.ints(o.strides), pads: attr.ints(o.pads) })

/** dX of Σ r ⊙ Conv(x, w) under `how`, from onnxruntime, and the op types the gradient emitted. */
async function inputGrad(how: ConvInputGrad, xs: number[], ws: number[], o: ConvGeometry, seed: number): Promise<{ dx: Float32Array; ops: string[] }> {
  const g = new Graph()
  const [x, w] = [g.input('x', xs), g.input('w', ws)]
  const y = g.op('Conv', [x, w], convAttrs(o))
  const r = g.input('r', y.shape as number[])
  const loss = sumAll(g, g.op('Mul', [y, r]))
  const before = g.nodes.length
  g.output(gradients(g, loss, [x], { convInputGrad: how }).get('x')!, 'dx')
  const ops = g.nodes.slice(before).map((n) => n.proto.opType)
  const session = await ort.InferenceSession.create(graphModel(g, 'dx'))
  const rng = new Rng(seed)
  const t = (shape: number[]) => new ort.Tensor('float32', rng.normals(shape.reduce((a, c) => a * c, 1)), shape)
  const out = await session.run({ x: t(xs), w: t(ws), r: t(y.shape as number[]) })
  expect(out.dx!.dims).toEqual(xs)
  return { dx: out.dx!.data as Float32Array, ops }
}

describe('conv input gradient split into sub-pixel phases', () => {
  for (const [name, xs, ws, o] of cases) {
    for (const how of ['phases', 'gather'] as const) {
      it(`${name}, ${how}: same dX as onnxruntime's ConvTranspose`, async () => {
        const ref = await inputGrad('convT', xs, ws, o, 3)
        const got = await inputGrad(how, xs, ws, o, 3)
        expect(ref.ops).toContain('ConvTranspose')
        expect(got.ops).not.toContain('ConvTranspose')
        expect(got.ops).toContain(how === 'phases' ? 'Conv' : 'Gemm')
        let worst = 0
        let scale = 0
        for (let i = 0; i < ref.dx.length; i++) {
          worst = Math.max(worst, Math.abs(ref.dx[i]! - got.dx[i]!))
          scale = Math.max(scale, Math.abs(ref.dx[i]!))
        }
        expect(scale).toBeGreaterThan(1)
        expect(worst / scale).toBeLessThan(1e-5)
      })
    }
  }

  for (const how of ['phases', 'gather'] as const) {
    it(`${how}: dX and dW match finite differences (k4 s2 p1 with bias, k6 s2 p2)`, async () => {
      const k4 = await gradCheck((g, [x, w, b]) => g.op('Conv', [x!, w!, b!], convAttrs(geo(4, 2, [1, 1, 1, 1]))), [{ shape: [2, 8, 6, 6] }, { shape: [3, 8, 4, 4] }, { shape: [3] }], { options: { convInputGrad: how } })
      expect(k4.maxRelError, k4.details.join('\n')).toBeLessThan(2e-3)
      const k6 = await gradCheck((g, [x, w]) => g.op('Conv', [x!, w!], convAttrs(geo(6, 2, [2, 2, 2, 2]))), [{ shape: [2, 3, 8, 8] }, { shape: [4, 3, 6, 6] }], { options: { convInputGrad: how } })
      expect(k6.maxRelError, k6.details.join('\n')).toBeLessThan(2e-3)
    })
  }

  it('the split forms apply only where the kernel is a multiple of the stride; auto keeps ConvTranspose (as measured)', () => {
    const k4 = geo(4, 2, [1, 1, 1, 1])
    expect(inputGradForm('phases', [32, 32], [16, 16], k4)).toBe('phases')
    expect(inputGradForm('gather', [8, 8], [4, 4], k4)).toBe('gather')
    expect(inputGradForm('auto', [32, 32], [16, 16], k4)).toBe('convT')
    expect(inputGradForm('convT', [32, 32], [16, 16], k4)).toBe('convT')
    // k3 s2 p1: the kernel is no multiple of the stride, whatever was asked
    expect(inputGradForm('phases', [32, 32], [16, 16], geo(3, 2, [1, 1, 1, 1]))).toBe('convT')
    expect(inputGradForm('gather', [31, 31], [16, 16], geo(3, 2, [1, 1, 1, 1]))).toBe('convT')
  })

  it('in the glyph64s and icon64s step graphs only the encoder\'s second conv changes; the image gets no gradient', () => {
    for (const [preset, classes] of [['glyph64s', 62], ['icon64s', 128]] as const) {
      const ops = (how: ConvInputGrad) => decodeModel(buildStepGraph(resolveSpec(preset, classes), heInit(1), { batchSize: 128, grad: { convInputGrad: how } }).model).graph.nodes
      const split = ops('phases')
      const before = ops('auto')
      const dx = (nodes: typeof split) => nodes.filter((n) => /^grad\/enc\/conv\d\/conv\//.test(n.name) && /dx_/.test(n.name)).map((n) => `${n.name} ${n.opType}`)
      expect(dx(before)).toEqual(['grad/enc/conv1/conv/dx_convT ConvTranspose'])
      expect(dx(split)).toEqual(['grad/enc/conv1/conv/dx_phases Conv'])
      // the rest of the graph is the same: four nodes more (weight Gather and its Reshape, DepthToSpace, crop Slice)
      const count = (nodes: typeof split) => nodes.reduce((m, n) => m.set(n.opType, (m.get(n.opType) ?? 0) + 1), new Map<string, number>())
      const diff = new Map([...new Set([...count(split).keys(), ...count(before).keys()])].map((op) => [op, (count(split).get(op) ?? 0) - (count(before).get(op) ?? 0)] as const).filter(([, d]) => d !== 0))
      expect(Object.fromEntries(diff)).toEqual({ Conv: 1, ConvTranspose: -1, DepthToSpace: 1, Gather: 1, Reshape: 1, Slice: 1 })
    }
  })
})
