/** The op registry: every ONNX op the graph builder can emit, by op_type. */
import type { OpRule } from './rule.js'
import * as elementwise from './elementwise.js'
import * as linear from './linear.js'
import * as conv from './conv.js'
import * as shape from './shape.js'
import * as reduce from './reduce.js'
import * as softmax from './softmax.js'

const rules: Record<string, OpRule> = { ...elementwise, ...linear, ...conv, ...shape, ...reduce, ...softmax }

export function opRule(opType: string): OpRule {
  const r = rules[opType]
  if (!r) throw new Error(`op "${opType}" has no rule in sdk/graph/ops — add one (forward shape inference and gradient)`)
  return r
}

export type { OpRule, GradContext, GradOptions, InferredValue } from './rule.js'
