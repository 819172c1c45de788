/** Gemm and MatMul. */
import type { OpRule } from './rule.js'
import { intAttr, ShapeError } from './rule.js'

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
}

export const MatMul: OpRule = {
  infer: ([a, b]) => {
    if (!a || !b || a.shape.length < 2 || b.shape.length !== 2) throw new ShapeError('MatMul supports [...,M,K] x [K,N]')
    const k = a.shape[a.shape.length - 1]
    if (k !== b.shape[0]) throw new ShapeError(`MatMul inner dims differ: ${k} vs ${b.shape[0]}`)
    return [{ shape: [...a.shape.slice(0, -1), b.shape[1]!], dtype: a.dtype }]
  },
}
