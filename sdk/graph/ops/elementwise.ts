/** Elementwise ops: arithmetic with broadcasting, activations, Identity, Cast. */
import type { OpRule } from './rule.js'
import { broadcastShapes, same, ShapeError } from './rule.js'

const binary: OpRule = {
  infer: ([a, b]) => {
    if (!a || !b) throw new ShapeError('binary op needs two inputs')
    return [{ shape: broadcastShapes(a.shape, b.shape), dtype: a.dtype }]
  },
}
const unary: OpRule = { infer: ([x]) => same(x!) }

export const Add: OpRule = { ...binary }
export const Sub: OpRule = { ...binary }
export const Mul: OpRule = { ...binary }
export const Div: OpRule = { ...binary }

export const Identity: OpRule = { ...unary }
export const Relu: OpRule = { ...unary }
export const LeakyRelu: OpRule = { ...unary }
export const Sigmoid: OpRule = { ...unary }
export const Tanh: OpRule = { ...unary }
export const Exp: OpRule = { ...unary }
export const Log: OpRule = { ...unary }
export const Neg: OpRule = { ...unary }
export const Softplus: OpRule = { ...unary }
export const Sqrt: OpRule = { ...unary }
export const Abs: OpRule = { ...unary }

/** Cast to float32 (used to widen fp16-stored weights at load). */
export const Cast: OpRule = { infer: ([x]) => [{ shape: [...x!.shape], dtype: 'float32' }] }
