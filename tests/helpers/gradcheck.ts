/**
 * Numerical gradient checks through real onnxruntime-node sessions. The checked function is
 * L(x) = Σ r ⊙ f(x) with a fixed random r, so dL/dx is the vector-Jacobian product the rules compute. For each
 * input a few random directions v are compared: (L(x+εv) − L(x−εv)) / 2ε (L summed in float64) against ⟨∇L, v⟩.
 */
import { Graph, type Value } from '../../sdk/graph/graph.js'
import type { GradOptions } from '../../sdk/graph/ops/index.js'
import { gradients, sumAll } from '../../sdk/train/autodiff.js'
import { GraphRunner, graphModel } from '../../sdk/train/session.js'
import { Rng } from '../../sdk/random.js'

export interface CheckInput {
  shape: number[]
  /** Values; default standard normals. */
  data?: Float32Array
  /** Keep |x| ≥ this (away from kinks such as Relu's 0). */
  awayFromZero?: number
  /** Positive values only (Log, Sqrt). */
  positive?: boolean
}

export interface CheckResult {
  /** Worst relative error |fd − analytic| / max(|fd|, |analytic|, floor). */
  maxRelError: number
  details: string[]
}

export async function gradCheck(build: (g: Graph, xs: Value[]) => Value, inputs: CheckInput[], o: { eps?: number; directions?: number; seed?: number; options?: GradOptions } = {}): Promise<CheckResult> {
  const rng = new Rng(o.seed ?? 1)
  const eps = o.eps ?? 1e-3
  const data = inputs.map((inp) => {
    if (inp.data) return inp.data
    const n = inp.shape.reduce((a, b) => a * b, 1)
    const d = rng.normals(n)
    for (let i = 0; i < n; i++) {
      if (inp.positive) d[i] = 0.5 + Math.abs(d[i]!)
      if (inp.awayFromZero) d[i] = Math.sign(d[i]! || 1) * (inp.awayFromZero + Math.abs(d[i]!))
    }
    return d
  })
  const g = new Graph()
  const xs = inputs.map((inp, k) => g.input(`x${k}`, inp.shape))
  const y = build(g, xs)
  const yShape = y.shape as number[]
  const r = g.input('r', yShape)
  const loss = sumAll(g, g.op('Mul', [y, r]))
  const grads = gradients(g, loss, xs, o.options)
  g.output(y, 'y')
  xs.forEach((x, k) => g.output(grads.get(x.name)!, `dx${k}`))
  const runner = await GraphRunner.open(graphModel(g, 'gradcheck'))
  const rData = rng.normals(yShape.reduce((a, b) => a * b, 1))
  const feeds = (xd: Float32Array[]) => Object.fromEntries([...xd.map((d, k) => [`x${k}`, { data: d, dims: inputs[k]!.shape }]), ['r', { data: rData, dims: yShape }]])
  const outNames = ['y', ...xs.map((_, k) => `dx${k}`)]
  const base = await runner.run(feeds(data), outNames)
  const lossOf = async (xd: Float32Array[]): Promise<number> => {
    const out = (await runner.run(feeds(xd), ['y'])).y!
    let s = 0
    for (let i = 0; i < out.length; i++) s += out[i]! * rData[i]!
    return s
  }
  let maxRel = 0
  const details: string[] = []
  for (let k = 0; k < inputs.length; k++) {
    const dx = base[`dx${k}`]!
    for (let t = 0; t < (o.directions ?? 3); t++) {
      const v = rng.normals(dx.length)
      const plus = data.map((d, j) => (j === k ? d.map((x, i) => x + eps * v[i]!) : d))
      const minus = data.map((d, j) => (j === k ? d.map((x, i) => x - eps * v[i]!) : d))
      const fd = ((await lossOf(plus)) - (await lossOf(minus))) / (2 * eps)
      // the perturbation actually applied (after rounding to float32)
      let an = 0
      let g2 = 0
      let v2 = 0
      for (let i = 0; i < dx.length; i++) {
        const vi = (plus[k]![i]! - minus[k]![i]!) / (2 * eps)
        an += dx[i]! * vi
        g2 += dx[i]! ** 2
        v2 += vi * vi
      }
      // a random direction's dot product is typically ‖∇L‖‖v‖/√n: errors are measured against that scale
      const typical = Math.sqrt((g2 * v2) / dx.length)
      const rel = Math.abs(fd - an) / Math.max(Math.abs(fd), Math.abs(an), typical, 1e-6)
      maxRel = Math.max(maxRel, rel)
      details.push(`x${k} dir${t}: fd ${fd.toFixed(5)} analytic ${an.toFixed(5)} rel ${rel.toExponential(2)}`)
    }
  }
  await runner.release()
  return { maxRelError: maxRel, details }
}
