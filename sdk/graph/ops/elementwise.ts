/**
 * Elementwise ops: arithmetic with broadcasting, activations, comparisons, Identity, Cast. Each rule's
 * gradient stands beside its shape inference; broadcasting is undone by {@link unbroadcast}.
 */
import { mask, one, unbroadcast, zero } from './grad.js'
import type { OpRule } from './rule.js'
import { broadcastShapes, floatAttr, same, ShapeError } from './rule.js'

const binary: OpRule = {
  infer: ([a, b]) => {
    if (!a || !b) throw new ShapeError('binary op needs two inputs')
    return [{ shape: broadcastShapes(a.shape, b.shape), dtype: a.dtype }]
  },
}
const unary: OpRule = { infer: ([x]) => same(x!) }
const compare: OpRule = {
  infer: ([a, b]) => {
    if (!a || !b) throw new ShapeError('comparison needs two inputs')
    return [{ shape: broadcastShapes(a.shape, b.shape), dtype: 'bool' }]
  },
}

// d(a+b) = (dY, dY)
export const Add: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => [needs[0] ? unbroadcast(g, dy!, a!) : undefined, needs[1] ? unbroadcast(g, dy!, b!) : undefined],
}

// d(Σ xᵢ) = dY for each input (variadic; one pass instead of a chain of Adds)
export const Sum: OpRule = {
  infer: (xs) => {
    if (xs.length === 0) throw new ShapeError('Sum needs at least one input')
    return [{ shape: xs.slice(1).reduce((s, x) => broadcastShapes(s, x.shape), [...xs[0]!.shape]), dtype: xs[0]!.dtype }]
  },
  backward: ({ g, node: { inputs }, dOut: [dy], needs }) => inputs.map((x, k) => (needs[k] ? unbroadcast(g, dy!, x) : undefined)),
}

// d(a-b) = (dY, -dY)
export const Sub: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => [
    needs[0] ? unbroadcast(g, dy!, a!) : undefined,
    needs[1] ? unbroadcast(g, g.op('Neg', [dy!]), b!) : undefined,
  ],
}

// d(a·b) = (dY·b, dY·a)
export const Mul: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => [
    needs[0] ? unbroadcast(g, g.op('Mul', [dy!, b!]), a!) : undefined,
    needs[1] ? unbroadcast(g, g.op('Mul', [dy!, a!]), b!) : undefined,
  ],
}

// d(a/b) = (dY/b, -dY·y/b)
export const Div: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b], outputs: [y] }, dOut: [dy], needs }) => [
    needs[0] ? unbroadcast(g, g.op('Div', [dy!, b!]), a!) : undefined,
    needs[1] ? unbroadcast(g, g.op('Neg', [g.op('Div', [g.op('Mul', [dy!, y!]), b!])]), b!) : undefined,
  ],
}

// d max(a,b): dY goes to the larger input (to a on ties)
export const Max: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => {
    const aWins = g.op('Not', [g.op('Less', [a!, b!])])
    return [needs[0] ? unbroadcast(g, mask(g, aWins, dy!), a!) : undefined, needs[1] ? unbroadcast(g, g.op('Where', [aWins, zero(g), dy!]), b!) : undefined]
  },
}

// d min(a,b): dY goes to the smaller input (to a on ties)
export const Min: OpRule = {
  ...binary,
  backward: ({ g, node: { inputs: [a, b] }, dOut: [dy], needs }) => {
    const aWins = g.op('Not', [g.op('Greater', [a!, b!])])
    return [needs[0] ? unbroadcast(g, mask(g, aWins, dy!), a!) : undefined, needs[1] ? unbroadcast(g, g.op('Where', [aWins, zero(g), dy!]), b!) : undefined]
  },
}

export const Identity: OpRule = { ...unary, backward: ({ dOut: [dy] }) => [dy] }
export const Neg: OpRule = { ...unary, backward: ({ g, dOut: [dy] }) => [g.op('Neg', [dy!])] }

// relu'(x) = [x > 0]
export const Relu: OpRule = {
  ...unary,
  backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [mask(g, g.op('Greater', [x!, zero(g)]), dy!)],
}

// leaky'(x) = 1 if x > 0 else alpha
export const LeakyRelu: OpRule = {
  ...unary,
  backward: ({ g, node: { inputs: [x], outputs: [y], proto }, dOut: [dy] }) => {
    const alpha = floatAttr(proto.attributes, 'alpha', 0.01)
    if (alpha < 0 || alpha > 1) return [g.op('Where', [g.op('Greater', [x!, zero(g)]), dy!, g.op('Mul', [dy!, g.scalar(alpha, 'alpha')])])]
    // For 0 ≤ α ≤ 1, y > 0 exactly where x > 0, so the slope is read off the output: the pre-activation then feeds
    // only the activation and onnxruntime fuses Conv/Gemm + LeakyRelu into one kernel (a pass over the map fewer).
    // slope = clip(y·2¹²⁶, α, 1): 1 where y > 0, α elsewhere — three vectorised passes (onnxruntime's Where and Sign
    // are scalar loops, 3–4× slower). Exact for every normal float; a denormal y > 0 (< 1.2e-38) gets a slope in [α, 1).
    return [g.op('Mul', [dy!, g.op('Clip', [g.op('Mul', [y!, g.scalar(2 ** 126, 'slope_scale')]), g.scalar(alpha, 'alpha'), one(g)])])]
  },
}

// σ'(x) = y(1-y)
export const Sigmoid: OpRule = {
  ...unary,
  backward: ({ g, node: { outputs: [y] }, dOut: [dy] }) => [g.op('Mul', [dy!, g.op('Mul', [y!, g.op('Sub', [one(g), y!])])])],
}

// tanh'(x) = 1 - y²
export const Tanh: OpRule = {
  ...unary,
  backward: ({ g, node: { outputs: [y] }, dOut: [dy] }) => [g.op('Mul', [dy!, g.op('Sub', [one(g), g.op('Mul', [y!, y!])])])],
}

// exp'(x) = y
export const Exp: OpRule = { ...unary, backward: ({ g, node: { outputs: [y] }, dOut: [dy] }) => [g.op('Mul', [dy!, y!])] }

// log'(x) = 1/x
export const Log: OpRule = { ...unary, backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [g.op('Div', [dy!, x!])] }

// softplus'(x) = σ(x)
export const Softplus: OpRule = { ...unary, backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [g.op('Mul', [dy!, g.op('Sigmoid', [x!])])] }

// sqrt'(x) = 1/(2y)
export const Sqrt: OpRule = {
  ...unary,
  backward: ({ g, node: { outputs: [y] }, dOut: [dy] }) => [g.op('Div', [dy!, g.op('Mul', [y!, g.scalar(2, 'two')])])],
}

// |x|' = sign(x)
export const Abs: OpRule = { ...unary, backward: ({ g, node: { inputs: [x] }, dOut: [dy] }) => [g.op('Mul', [dy!, g.op('Sign', [x!])])] }

/** Sign has zero gradient almost everywhere. */
export const Sign: OpRule = { ...unary }

/** Clip(x, min, max) with scalar bounds; used inside gradients only (no backward). */
export const Clip: OpRule = { infer: ([x]) => same(x!) }

/** Cast to float32 (used to widen fp16-stored weights at load); float→float, so the gradient passes through. */
export const Cast: OpRule = {
  infer: ([x], attrs) => [{ shape: [...x!.shape], dtype: attrs.to?.type === 'int' && attrs.to.value === 9 ? 'bool' : 'float32' }],
  backward: ({ dOut: [dy] }) => [dy],
}

export const Greater: OpRule = { ...compare }
export const Less: OpRule = { ...compare }
export const Not: OpRule = { infer: ([x]) => same(x!) }

// where(c, a, b): dY flows to a where c, to b elsewhere
export const Where: OpRule = {
  infer: ([c, a, b]) => [{ shape: broadcastShapes(c!.shape, broadcastShapes(a!.shape, b!.shape)), dtype: a!.dtype }],
  backward: ({ g, node: { inputs: [c, a, b] }, dOut: [dy], needs }) => [
    undefined,
    needs[1] ? unbroadcast(g, mask(g, c!, dy!), a!) : undefined,
    needs[2] ? unbroadcast(g, g.op('Where', [c!, zero(g), dy!]), b!) : undefined,
  ],
}
