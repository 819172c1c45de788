/**
 * Shape ops: Reshape, Flatten, Concat, Split, Transpose, Slice, Unsqueeze, Pad, Shape, Expand, SpaceToDepth.
 * Shape arguments must be constants (Expand may also take the output of a Shape node). Gradients move dY back.
 */
import type { Dim } from '../../onnx/model-proto.js'
import type { Graph } from '../graph.js'
import { attr, type Value } from '../value.js'
import { invertIndex, reshapeTo, unbroadcast } from './grad.js'
import type { OpRule } from './rule.js'
import { broadcastShapes, intAttr, intsAttr, numel, ShapeError } from './rule.js'

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
  backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [reshapeTo(g, dy!, x!.shape), undefined],
}

export const Flatten: OpRule = {
  infer: ([x], attrs) => {
    const axis = norm(intAttr(attrs, 'axis', 1), x!.shape.length)
    const head = x!.shape.slice(0, axis)
    const tail = x!.shape.slice(axis)
    return [{ shape: [head.length === 1 ? head[0]! : numel(head), numel(tail)], dtype: x!.dtype }]
  },
  backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [reshapeTo(g, dy!, x!.shape)],
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
  // each input gets its slab of dY along the axis
  backward: ({ g, node: { inputs, proto }, dOut: [dy], needs }) => {
    const axis = norm(intAttr(proto.attributes, 'axis', 0), inputs[0]!.shape.length)
    let start = 0
    return inputs.map((x, k) => {
      const size = numel([x.shape[axis]!])
      const s0 = start
      start += size
      if (!needs[k]) return undefined
      return g.op('Slice', [dy!, g.int64([s0], 'starts'), g.int64([s0 + size], 'ends'), g.int64([axis], 'axes')])
    })
  },
}

/** Split with its sizes as an int64 constant input (opset 13+); the gradient is the Concat of the parts' gradients. */
export const Split: OpRule = {
  infer: ([x, split], attrs, g) => {
    const axis = norm(intAttr(attrs, 'axis', 0), x!.shape.length)
    const sizes = constInts(g, split, 'Split sizes')
    if (sizes.reduce((a, b) => a + b, 0) !== numel([x!.shape[axis]!])) throw new ShapeError(`Split sizes [${sizes}] do not add up to dim ${axis} (${x!.shape[axis]})`)
    return sizes.map((n) => ({ shape: x!.shape.map((d, i) => (i === axis ? n : d)), dtype: x!.dtype }))
  },
  backward: ({ g, node: { outputs, proto }, dOut }) => {
    const parts = dOut.map((d, k) => d ?? g.constant(new Float32Array(numel(outputs[k]!.shape)), outputs[k]!.shape.map((v) => numel([v])), 'zeros'))
    return [g.op('Concat', parts, { axis: proto.attributes.axis ?? attr.i(0) }), undefined]
  },
}

export const Transpose: OpRule = {
  infer: ([x], attrs) => {
    const perm = intsAttr(attrs, 'perm', [...x!.shape.keys()].reverse())
    return [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }]
  },
  // transpose back with the inverse permutation
  backward: ({ g, node: { inputs: [x], proto }, dOut: [dy] }) => {
    const perm = intsAttr(proto.attributes, 'perm', [...x!.shape.keys()].reverse())
    const inv = perm.map((_, i) => perm.indexOf(i))
    return [g.op('Transpose', [dy!], { perm: attr.ints(inv) })]
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
  backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [reshapeTo(g, dy!, x!.shape), undefined],
}

/** Per sliced axis: [axis, start, end, step] with starts and ends clamped to the dim (positive steps only). */
function sliceBounds(g: Graph, [x, starts, ends, axes, steps]: readonly (Value | undefined)[]): [number, number, number, number][] {
  const st = constInts(g, starts, 'Slice starts')
  const en = constInts(g, ends, 'Slice ends')
  const ax = axes ? constInts(g, axes, 'Slice axes') : st.map((_, i) => i)
  const sp = steps ? constInts(g, steps, 'Slice steps') : st.map(() => 1)
  return ax.map((a0, i) => {
    const a = norm(a0, x!.shape.length)
    const dim = numel([x!.shape[a]!])
    if (sp[i]! <= 0) throw new ShapeError('Slice supports positive steps only')
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim)
    return [a, clamp(st[i]!), clamp(en[i]!), sp[i]!]
  })
}

export const Slice: OpRule = {
  infer: (inputs, _attrs, g) => {
    const out = [...inputs[0]!.shape]
    for (const [a, s, e, step] of sliceBounds(g, inputs)) out[a] = Math.max(0, Math.ceil((e - s) / step))
    return [{ shape: out, dtype: inputs[0]!.dtype }]
  },
  // dY padded back with zeros where the slice cut (step 1)
  backward: ({ g, node: { inputs }, dOut: [dy] }) => {
    const x = inputs[0]!
    const rank = x.shape.length
    const pads = new Array<number>(2 * rank).fill(0)
    for (const [a, s, e, step] of sliceBounds(g, inputs)) {
      if (step !== 1) throw new Error('Slice gradient supports step 1 only')
      pads[a] = s
      pads[rank + a] = numel([x.shape[a]!]) - e
    }
    return [g.op('Pad', [dy!, g.int64(pads, 'pads')]), undefined, undefined, undefined, undefined]
  },
}

export const Pad: OpRule = {
  infer: ([x, pads], attrs, g) => {
    if (attrs.mode && attrs.mode.type === 'string' && attrs.mode.value !== 'constant') throw new ShapeError('Pad supports mode constant only')
    const p = constInts(g, pads, 'Pad pads')
    const rank = x!.shape.length
    return [{ shape: x!.shape.map((d, i) => (p[i] === 0 && p[rank + i] === 0 ? d : numel([d]) + p[i]! + p[rank + i]!)), dtype: x!.dtype }]
  },
  // the gradient of zero padding is the slice that drops it
  backward: ({ g, node: { inputs: [x, pads] }, dOut: [dy] }) => {
    const p = constInts(g, pads, 'Pad pads')
    const rank = x!.shape.length
    const axes = [...x!.shape.keys()].filter((i) => p[i] !== 0 || p[rank + i] !== 0)
    if (axes.length === 0) return [dy, undefined]
    const starts = axes.map((i) => p[i]!)
    const ends = axes.map((i) => p[i]! + numel([x!.shape[i]!]))
    return [g.op('Slice', [dy!, g.int64(starts, 'starts'), g.int64(ends, 'ends'), g.int64(axes, 'axes')]), undefined]
  },
}

/** The shape of a tensor as int64 [rank]. */
export const Shape: OpRule = { infer: ([x]) => [{ shape: [x!.shape.length], dtype: 'int64' }] }

export const Expand: OpRule = {
  infer: ([x, s], _attrs, g) => {
    const data = s && g.constantData(s)
    const src = s && g.producer(s)
    const target: readonly Dim[] | undefined = data instanceof BigInt64Array ? Array.from(data, Number) : src?.proto.opType === 'Shape' ? src.inputs[0]!.shape : undefined
    if (!target) throw new ShapeError('Expand shape must be an int64 constant or a Shape node')
    return [{ shape: broadcastShapes(target, x!.shape), dtype: x!.dtype }]
  },
  backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [unbroadcast(g, dy!, x!), undefined],
}

/** [N,C,H,W] → [N,C·b²,H/b,W/b]; output channel (i·b + j)·C + c holds pixel (h·b+i, w·b+j) of channel c. */
export const SpaceToDepth: OpRule = {
  infer: ([x], attrs) => {
    const b = intAttr(attrs, 'blocksize', 0)
    const [n, c, h, w] = x!.shape
    if (x!.shape.length !== 4 || numel([h!]) % b || numel([w!]) % b) throw new ShapeError(`SpaceToDepth needs a 4-D input with H, W divisible by ${b}`)
    return [{ shape: [n!, numel([c!]) * b * b, numel([h!]) / b, numel([w!]) / b], dtype: x!.dtype }]
  },
  backward: ({ g, node: { proto }, dOut: [dy] }) => [g.op('DepthToSpace', [dy!], { blocksize: proto.attributes.blocksize!, mode: attr.s('DCR') })],
}

/** Inverse of SpaceToDepth (mode DCR). */
export const DepthToSpace: OpRule = {
  infer: ([x], attrs) => {
    const b = intAttr(attrs, 'blocksize', 0)
    const [n, c, h, w] = x!.shape
    return [{ shape: [n!, numel([c!]) / (b * b), numel([h!]) * b, numel([w!]) * b], dtype: x!.dtype }]
  },
  backward: ({ g, node: { proto }, dOut: [dy] }) => [g.op('SpaceToDepth', [dy!], { blocksize: proto.attributes.blocksize! })],
}

/**
 * Gather along axis 0 with constant int64 indices (rows of a table): used for im2col / col2im (sdk/graph/conv-gemm.ts).
 * The gradient of a constant gather is itself a gather: each table row r sums the output rows that copied it, so
 * the rule builds the inverse table at graph-build time — row r lists the positions of r in the indices, padded to
 * the largest multiplicity with a pointer to an appended zero row — and emits Gather + ReduceSum (no scatter op).
 */
export const Gather: OpRule = {
  infer: ([x, idx], attrs) => {
    if (intAttr(attrs, 'axis', 0) !== 0) throw new ShapeError('Gather supports axis 0 only')
    if (idx!.dtype !== 'int64') throw new ShapeError('Gather indices must be int64')
    return [{ shape: [...idx!.shape, ...x!.shape.slice(1)], dtype: x!.dtype }]
  },
  backward: ({ g, node: { inputs: [x, idx] }, dOut: [dy] }) => {
    const ind = constInts(g, idx, 'Gather indices')
    const rows = numel([x!.shape[0]!])
    const rest = x!.shape.slice(1).map((d) => numel([d]))
    const width = numel(rest)
    const { inverse, m } = invertIndex(ind.map((r) => (r < 0 ? r + rows : r)), rows, ind.length) // ind.length: the appended zero row
    const flat = g.op('Reshape', [dy!, g.int64([ind.length, width], 'shape')])
    const table = g.op('Concat', [flat, g.constant(new Float32Array(width), [1, width], 'zero_row')], { axis: attr.i(0) })
    const picked = g.op('Gather', [table, g.constant(inverse, [rows, m], 'inverse')], { axis: attr.i(0) })
    const sum = m === 1 ? g.op('Reshape', [picked, g.int64([rows, width], 'shape')]) : g.op('ReduceSum', [picked, g.int64([1], 'axes')], { keepdims: attr.i(0) })
    return [g.op('Reshape', [sum, g.int64([rows, ...rest], 'shape')]), undefined]
  },
}
