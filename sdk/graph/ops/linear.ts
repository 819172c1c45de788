/** Gemm and MatMul, with their gradients (each a Gemm with the transposes swapped). */
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'
import { unbroadcast } from './grad.js'
import type { OpRule } from './rule.js'
import { floatAttr, intAttr, ShapeError } from './rule.js'

const gemm = (g: Graph, a: Value, b: Value, ta: number, tb: number): Value => g.op('Gemm', [a, b], { ...(ta ? { transA: attr.i(1) } : {}), ...(tb ? { transB: attr.i(1) } : {}) })

export const Gemm: OpRule = {
  infer: ([a, b, c], attrs) => {
    if (!a || !b || a.shape.length !== 2 || b.shape.length !== 2) throw new ShapeError('Gemm needs 2-D A and B')
    const ta = intAttr(attrs, 'transA', 0)
    const tb = intAttr(attrs, 'transB', 0)
    const [m, ka] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!]
    const [kb, n] = tb ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!]
    if (ka !== kb) throw new ShapeError(`Gemm inner dims differ: ${ka} vs ${kb}`)
    if (c && c.shape.length > 0 && c.shape[c.shape.length - 1] !== n && c.shape[c.shape.length - 1] !== 1) {
      throw new ShapeError(`Gemm bias [${c.shape}] does not match N=${n}`)
    }
    return [{ shape: [m, n], dtype: a.dtype }]
  },
  // Y = op(A)·op(B) + C  ⇒  dA = dY·op(B)ᵀ (as A's layout), dB = op(A)ᵀ·dY (as B's layout), dC = Σ_broadcast dY
  backward: ({ g, node: { inputs: [a, b, c], proto }, dOut: [dy], needs }) => {
    const ta = intAttr(proto.attributes, 'transA', 0)
    const tb = intAttr(proto.attributes, 'transB', 0)
    if (floatAttr(proto.attributes, 'alpha', 1) !== 1 || floatAttr(proto.attributes, 'beta', 1) !== 1) throw new Error('Gemm gradient supports alpha = beta = 1 only')
    const d = dy!
    const dA = !needs[0] ? undefined : ta ? (tb ? gemm(g, b!, d, 1, 1) : gemm(g, b!, d, 0, 1)) : tb ? gemm(g, d, b!, 0, 0) : gemm(g, d, b!, 0, 1)
    const dB = !needs[1] ? undefined : tb ? (ta ? gemm(g, d, a!, 1, 1) : gemm(g, d, a!, 1, 0)) : ta ? gemm(g, a!, d, 0, 0) : gemm(g, a!, d, 1, 0)
    const dC = c && needs[2] ? unbroadcast(g, d, c) : undefined
    return [dA, dB, dC]
  },
}

export const MatMul: OpRule = {
  infer: ([a, b]) => {
    if (!a || !b || a.shape.length < 2) throw new ShapeError('MatMul supports [...,M,K] x [K,N] and batched [B,M,K] x [B,K,N]')
    const k = a.shape[a.shape.length - 1]
    if (b.shape.length === 2) {
      if (k !== b.shape[0]) throw new ShapeError(`MatMul inner dims differ: ${k} vs ${b.shape[0]}`)
      return [{ shape: [...a.shape.slice(0, -1), b.shape[1]!], dtype: a.dtype }]
    }
    // batched, same rank (used by gradient graphs only: see conv-grad.ts)
    if (b.shape.length !== a.shape.length || a.shape.slice(0, -2).some((d, i) => d !== b.shape[i]) || k !== b.shape[b.shape.length - 2]) {
      throw new ShapeError(`MatMul shapes [${a.shape}] x [${b.shape}] do not match`)
    }
    return [{ shape: [...a.shape.slice(0, -1), b.shape[b.shape.length - 1]!], dtype: a.dtype }]
  },
  // Y = A·B  ⇒  dA = dY·Bᵀ, dB = Aᵀ·dY (batch dims of A flattened into rows)
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => {
    if (b!.shape.length !== 2) throw new ShapeError('MatMul gradient is implemented for a 2-D right operand only')
    const k = b!.shape[0] as number
    const n = b!.shape[1] as number
    const dA = needs[0] ? g.op('MatMul', [dy!, g.op('Transpose', [b!], { perm: attr.ints([1, 0]) })]) : undefined
    let dB: Value | undefined
    if (needs[1]) {
      const a2 = a!.shape.length === 2 ? a! : g.op('Reshape', [a!, g.int64([-1, k], 'shape')])
      const d2 = dy!.shape.length === 2 ? dy! : g.op('Reshape', [dy!, g.int64([-1, n], 'shape')])
      dB = gemm(g, a2, d2, 1, 0)
    }
    return [dA, dB]
  },
}
