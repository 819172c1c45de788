/**
 * Extracts the part of a model that computes some outputs: the nodes they depend on, the initializers those
 * nodes read, and the graph inputs they need. A latentype file stores encoder and decoder in one graph;
 * the runtime opens each as its own session through this (ONNX Runtime requires every graph input fed).
 */
import type { ModelProto, NodeProto } from './model-proto.js'

export function extractSubModel(model: ModelProto, outputs: readonly string[]): ModelProto {
  const g = model.graph
  const producer = new Map<string, NodeProto>()
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n)
  const keep = new Set<NodeProto>()
  const needed = new Set<string>()
  const stack = [...outputs]
  while (stack.length) {
    const name = stack.pop()!
    if (needed.has(name)) continue
    needed.add(name)
    const n = producer.get(name)
    if (n && !keep.has(n)) {
      keep.add(n)
      for (const i of n.inputs) if (i) stack.push(i)
    }
  }
  for (const o of outputs) if (!g.outputs.some((v) => v.name === o)) throw new Error(`model has no output "${o}"`)
  return {
    ...model,
    graph: {
      name: g.name,
      nodes: g.nodes.filter((n) => keep.has(n)),
      initializers: g.initializers.filter((t) => needed.has(t.name)),
      inputs: g.inputs.filter((v) => needed.has(v.name)),
      outputs: outputs.map((o) => g.outputs.find((v) => v.name === o)!),
      valueInfo: (g.valueInfo ?? []).filter((v) => needed.has(v.name)),
    },
  }
}
