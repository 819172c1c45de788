/** Every gradient rule in sdk/graph/ops, checked against finite differences through onnxruntime-node. */
import { describe, expect, it } from 'vitest'
import { attr, type Graph, type Value } from '../../sdk/graph/graph.js'
import { gradCheck, type CheckInput } from '../helpers/gradcheck.js'

const TOL = 2e-3

type Case = [string, (g: Graph, x: Value[]) => Value, CheckInput[], { eps?: number; tol?: number }?]

const i64 = (g: Graph, v: number[]): Value => g.int64(v)

const cases: Case[] = [
  ['Add broadcast', (g, [a, b]) => g.op('Add', [a!, b!]), [{ shape: [3, 4, 5] }, { shape: [4, 1] }]],
  ['Sub broadcast', (g, [a, b]) => g.op('Sub', [a!, b!]), [{ shape: [2, 5] }, { shape: [5] }]],
  ['Mul broadcast', (g, [a, b]) => g.op('Mul', [a!, b!]), [{ shape: [2, 3, 4] }, { shape: [1, 3, 1] }]],
  ['Mul same value twice (accumulation)', (g, [a]) => g.op('Mul', [a!, a!]), [{ shape: [4, 3] }]],
  ['Div', (g, [a, b]) => g.op('Div', [a!, b!]), [{ shape: [3, 4] }, { shape: [3, 4], positive: true }]],
  ['Max', (g, [a, b]) => g.op('Max', [a!, b!]), [{ shape: [3, 4] }, { shape: [4] }]],
  ['Min', (g, [a, b]) => g.op('Min', [a!, b!]), [{ shape: [3, 4] }, { shape: [3, 4] }]],
  ['Neg', (g, [a]) => g.op('Neg', [a!]), [{ shape: [5] }]],
  ['Identity', (g, [a]) => g.op('Identity', [a!]), [{ shape: [5] }]],
  ['Relu', (g, [a]) => g.op('Relu', [a!]), [{ shape: [4, 6], awayFromZero: 0.05 }]],
  ['LeakyRelu', (g, [a]) => g.op('LeakyRelu', [a!], { alpha: attr.f(0.2) }), [{ shape: [4, 6], awayFromZero: 0.05 }]],
  ['LeakyRelu with slope > 1 (Where form)', (g, [a]) => g.op('LeakyRelu', [a!], { alpha: attr.f(1.5) }), [{ shape: [4, 6], awayFromZero: 0.05 }]],
  ['Sigmoid', (g, [a]) => g.op('Sigmoid', [a!]), [{ shape: [4, 6] }]],
  ['Tanh', (g, [a]) => g.op('Tanh', [a!]), [{ shape: [4, 6] }]],
  ['Exp', (g, [a]) => g.op('Exp', [a!]), [{ shape: [4, 6] }]],
  ['Log', (g, [a]) => g.op('Log', [a!]), [{ shape: [4, 6], positive: true }]],
  ['Softplus', (g, [a]) => g.op('Softplus', [a!]), [{ shape: [4, 6] }]],
  ['Sqrt', (g, [a]) => g.op('Sqrt', [a!]), [{ shape: [4, 6], positive: true }]],
  ['Abs', (g, [a]) => g.op('Abs', [a!]), [{ shape: [4, 6], awayFromZero: 0.05 }]],
  ['Where', (g, [a, b]) => g.op('Where', [g.op('Greater', [a!, b!]), g.op('Mul', [a!, a!]), b!]), [{ shape: [3, 4] }, { shape: [4] }]],
  ['Gemm', (g, [a, b, c]) => g.op('Gemm', [a!, b!, c!]), [{ shape: [3, 4] }, { shape: [4, 5] }, { shape: [5] }]],
  ['Gemm transA', (g, [a, b]) => g.op('Gemm', [a!, b!], { transA: attr.i(1) }), [{ shape: [4, 3] }, { shape: [4, 5] }]],
  ['Gemm transB', (g, [a, b, c]) => g.op('Gemm', [a!, b!, c!], { transB: attr.i(1) }), [{ shape: [3, 4] }, { shape: [5, 4] }, { shape: [3, 5] }]],
  ['Gemm transA transB', (g, [a, b]) => g.op('Gemm', [a!, b!], { transA: attr.i(1), transB: attr.i(1) }), [{ shape: [4, 3] }, { shape: [5, 4] }]],
  ['MatMul batched', (g, [a, b]) => g.op('MatMul', [a!, b!]), [{ shape: [2, 3, 4] }, { shape: [4, 5] }]],
  ['ReduceSum axes', (g, [a]) => g.op('ReduceSum', [a!, i64(g, [0, 2])], { keepdims: attr.i(0) }), [{ shape: [2, 3, 4] }]],
  ['ReduceSum all', (g, [a]) => g.op('ReduceSum', [a!], { keepdims: attr.i(0) }), [{ shape: [2, 3, 4] }]],
  ['ReduceMean', (g, [a]) => g.op('ReduceMean', [a!], { axes: attr.ints([1]), keepdims: attr.i(1) }), [{ shape: [2, 3, 4] }]],
  ['LogSoftmax axis 1', (g, [a]) => g.op('LogSoftmax', [a!], { axis: attr.i(1) }), [{ shape: [3, 5] }]],
  ['LogSoftmax default axis (last), rank 3', (g, [a]) => g.op('LogSoftmax', [a!]), [{ shape: [2, 3, 4] }]],
  ['LogSoftmax axis 0', (g, [a]) => g.op('LogSoftmax', [a!], { axis: attr.i(0) }), [{ shape: [4, 3] }]],
  ['Reshape', (g, [a]) => g.op('Reshape', [a!, i64(g, [0, 12])]), [{ shape: [2, 3, 4] }]],
  ['Flatten', (g, [a]) => g.op('Flatten', [a!]), [{ shape: [2, 3, 2, 2] }]],
  ['Unsqueeze', (g, [a]) => g.op('Unsqueeze', [a!, i64(g, [1])]), [{ shape: [2, 3] }]],
  ['Transpose', (g, [a]) => g.op('Transpose', [a!], { perm: attr.ints([2, 0, 1]) }), [{ shape: [2, 3, 4] }]],
  ['Concat', (g, [a, b]) => g.op('Concat', [a!, b!, a!], { axis: attr.i(1) }), [{ shape: [2, 3] }, { shape: [2, 2] }]],
  ['Slice', (g, [a]) => g.op('Slice', [a!, i64(g, [1, 0]), i64(g, [3, 2]), i64(g, [0, 2])]), [{ shape: [4, 3, 5] }]],
  ['Pad', (g, [a]) => g.op('Pad', [a!, i64(g, [0, 1, 2, 0, 2, 1])]), [{ shape: [2, 3, 4] }]],
  ['Expand', (g, [a]) => g.op('Expand', [a!, i64(g, [3, 2, 4])]), [{ shape: [2, 1] }]],
  ['Sum (variadic, broadcast, one input twice)', (g, [a, b]) => g.op('Sum', [a!, b!, a!]), [{ shape: [3, 4] }, { shape: [4] }]],
  // rows gathered 0, 1 or 3 times (the inverse-gather gradient pads to the largest count with a zero row)
  ['Gather rows (constant indices, repeats)', (g, [a]) => g.op('Gather', [a!, g.constant(BigInt64Array.from([2n, 0n, 2n, 3n, 2n, -1n]), [3, 2], 'idx')], { axis: attr.i(0) }), [{ shape: [5, 3] }]],
  ['SpaceToDepth', (g, [a]) => g.op('SpaceToDepth', [a!], { blocksize: attr.i(2) }), [{ shape: [2, 3, 4, 6] }]],
  ['DepthToSpace', (g, [a]) => g.op('DepthToSpace', [a!], { blocksize: attr.i(2), mode: attr.s('DCR') }), [{ shape: [2, 8, 3, 2] }]],
]

const conv = (k: number, s: number, p: number) => ({ kernel_shape: attr.ints([k, k]), strides: attr.ints([s, s]), pads: attr.ints([p, p, p, p]) })

const convCases: Case[] = [
  ['Conv k4 s2 p1', (g, [x, w, b]) => g.op('Conv', [x!, w!, b!], conv(4, 2, 1)), [{ shape: [2, 3, 8, 8] }, { shape: [5, 3, 4, 4] }, { shape: [5] }]],
  ['Conv k3 s1 p1', (g, [x, w, b]) => g.op('Conv', [x!, w!, b!], conv(3, 1, 1)), [{ shape: [2, 2, 5, 5] }, { shape: [3, 2, 3, 3] }, { shape: [3] }]],
  ['Conv k3 s2 p0 (odd size)', (g, [x, w]) => g.op('Conv', [x!, w!], conv(3, 2, 0)), [{ shape: [2, 2, 7, 7] }, { shape: [3, 2, 3, 3] }]],
  // 8 channels on the high-resolution side: the `gather` weight gradient applies (fewer falls back to `batched`)
  ['Conv k4 s2 p1, 8 input channels', (g, [x, w, b]) => g.op('Conv', [x!, w!, b!], conv(4, 2, 1)), [{ shape: [2, 8, 6, 6] }, { shape: [3, 8, 4, 4] }, { shape: [3] }]],
  ['ConvTranspose k4 s2 p1, 8 output channels', (g, [x, w]) => g.op('ConvTranspose', [x!, w!], conv(4, 2, 1)), [{ shape: [2, 3, 3, 3] }, { shape: [3, 8, 4, 4] }]],
  ['ConvTranspose k4 s2 p1', (g, [x, w, b]) => g.op('ConvTranspose', [x!, w!, b!], conv(4, 2, 1)), [{ shape: [2, 3, 4, 4] }, { shape: [3, 5, 4, 4] }, { shape: [5] }]],
  ['ConvTranspose k3 s1 p1', (g, [x, w]) => g.op('ConvTranspose', [x!, w!], conv(3, 1, 1)), [{ shape: [2, 3, 4, 4] }, { shape: [3, 2, 3, 3] }]],
]

describe('gradient rules (finite differences through onnxruntime-node)', () => {
  for (const [name, build, inputs, o] of cases) {
    it(name, async () => {
      const r = await gradCheck(build, inputs, { eps: o?.eps })
      expect(r.maxRelError, r.details.join('\n')).toBeLessThan(o?.tol ?? TOL)
    })
  }
  for (const how of ['batched', 'gather', 'shift', 'dilated'] as const) {
    for (const [name, build, inputs, o] of convCases) {
      it(`${name} (weight gradient: ${how})`, async () => {
        const r = await gradCheck(build, inputs, { eps: o?.eps, options: { convWeightGrad: how } })
        expect(r.maxRelError, r.details.join('\n')).toBeLessThan(o?.tol ?? TOL)
      })
    }
  }
})
