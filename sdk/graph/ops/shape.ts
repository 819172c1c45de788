/** Shape ops: Reshape, Flatten, Concat, Transpose, Slice, Unsqueeze. Shape arguments must be constants. */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph, Value } from '../graph.js'
import type { OpRule } from './rule.js'
import { intAttr, intsAttr, numel, ShapeError } from './rule.js'

function constInts(g: Graph, v: Value | undefined, what: string): number[] {
  const data = v && g.constantData(v)
  if (!(data instanceof BigInt64Array)) throw new ShapeError(`${what} must be an int64 constant`)
  return Array.from(data, Number)
}

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis)

export const Reshape: OpRule = {
  infer: ([x, s], _attrs, g) => {
    const target = constInts(g, s, 'Reshape shape')
    const out: Dim[] = target.map((d, i) => (d === 0 ? x!.shape[i]! : d))
    const minus = out.indexOf(-1)
    if (minus >= 0) {
      const known = out.filter((d, i) => i !== minus)
      const symIn = x!.shape.filter((d) => typeof d === 'string')
      const symOut = known.filter((d) => typeof d === 'string')
      if (symIn.length !== symOut.length) throw new ShapeError('Reshape -1 with symbolic dims needs them kept (use 0)')
      out[minus] = numel(x!.shape.filter((d) => typeof d === 'number')) / numel(known.filter((d) => typeof d === 'number'))
    }
    return [{ shape: out, dtype: x!.dtype }]
  },
}

export const Flatten: OpRule = {
  infer: ([x], attrs) => {
    const axis = norm(intAttr(attrs, 'axis', 1), x!.shape.length)
    const head = x!.shape.slice(0, axis)
    const tail = x!.shape.slice(axis)
    return [{ shape: [head.length === 1 ? head[0]! : numel(head), numel(tail)], dtype: x!.dtype }]
  },
}

export const Concat: OpRule = {
  infer: (xs, attrs) => {
    const rank = xs[0]!.shape.length
    const axis = norm(intAttr(attrs, 'axis', 0), rank)
    const out = [...xs[0]!.shape]
    let total = 0
    for (const x of xs) {
      if (x.shape.length !== rank) throw new ShapeError('Concat inputs differ in rank')
      x.shape.forEach((d, i) => {
        if (i !== axis && d !== out[i]) throw new ShapeError(`Concat dim ${i} differs: ${d} vs ${out[i]}`)
      })
      total += numel([x.shape[axis]!])
    }
    out[axis] = total
    return [{ shape: out, dtype: xs[0]!.dtype }]
  },
}

export const Transpose: OpRule = {
  infer: ([x], attrs) => {
    const perm = intsAttr(attrs, 'perm', [...x!.shape.keys()].reverse())
    return [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }]
  },
}

export const Unsqueeze: OpRule = {
  infer: ([x, axes], _attrs, g) => {
    const ax = constInts(g, axes, 'Unsqueeze axes')
    const rank = x!.shape.length + ax.length
    const set = new Set(ax.map((a) => norm(a, rank)))
    const out: Dim[] = []
    let k = 0
    for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : x!.shape[k++]!)
    return [{ shape: out, dtype: x!.dtype }]
  },
}

export const Slice: OpRule = {
  infer: ([x, starts, ends, axes, steps], _attrs, g) => {
    const st = constInts(g, starts, 'Slice starts')
    const en = constInts(g, ends, 'Slice ends')
    const ax = axes ? constInts(g, axes, 'Slice axes') : st.map((_, i) => i)
    const sp = steps ? constInts(g, steps, 'Slice steps') : st.map(() => 1)
    const out = [...x!.shape]
    ax.forEach((a0, i) => {
      const a = norm(a0, out.length)
      const dim = numel([out[a]!])
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim)
      const s = clamp(st[i]!)
      const e = clamp(en[i]!)
      out[a] = Math.max(0, Math.ceil((e - s) / sp[i]!))
    })
    return [{ shape: out, dtype: x!.dtype }]
  },
}
