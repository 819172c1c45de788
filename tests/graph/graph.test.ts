/** The graph builder's output naming: public names without copies, run through onnxruntime-node. */
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { Graph } from '../../sdk/graph/graph.js'
import { graphModel } from '../../sdk/train/session.js'

describe('Graph.output', () => {
  it('publishes a node output under its public name without an Identity copy, and still feeds later nodes', async () => {
    const g = new Graph()
    const x = g.input('x', [3])
    const y = g.op('Mul', [x, x])
    g.output(y, 'square')
    g.output(g.op('Add', [y, x]), 'square_plus_x')
    // the same value again, and a graph input: these need an Identity
    g.output(y, 'square_again')
    g.output(x, 'x_again')
    const proto = g.toProto('t')
    expect(proto.nodes.map((n) => n.opType)).toEqual(['Mul', 'Add', 'Identity', 'Identity'])
    expect(proto.nodes[0]!.outputs).toEqual(['square'])
    expect(proto.nodes[1]!.inputs).toEqual(['square', 'x'])
    const s = await ort.InferenceSession.create(graphModel(g, 't'))
    const r = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3), [3]) })
    expect(Array.from(r.square!.data as Float32Array)).toEqual([1, 4, 9])
    expect(Array.from(r.square_plus_x!.data as Float32Array)).toEqual([2, 6, 12])
    expect(Array.from(r.square_again!.data as Float32Array)).toEqual([1, 4, 9])
    expect(Array.from(r.x_again!.data as Float32Array)).toEqual([1, 2, 3])
  })
})
