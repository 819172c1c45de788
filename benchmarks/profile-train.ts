/**
 * npm run bench:profile [-- --size 32|64 | --preset glyph64s[:classes] --steps 12 --threads 2 --grad auto --conv auto --dx auto]
 *
 * Per-op profile of one training step graph (the bench:train CVAE, batch 128) from onnxruntime's own per-node
 * trace: kernel time per op type and the 30 most expensive nodes with their input shapes. Where BENCHMARKS.md's
 * "where our step goes" comes from. The trace JSON is kept under out/profile/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ConvImpl } from '../sdk/graph/conv-gemm.js'
import type { ConvWeightGrad } from '../sdk/graph/ops/conv-grad.js'
import type { ConvInputGrad } from '../sdk/graph/ops/conv-input-grad.js'
import { resolveSpec } from '../sdk/model/spec.js'
import { syntheticStep } from './synthetic-step.js'

const { values: a } = parseArgs({ options: { size: { type: 'string', default: '32' }, steps: { type: 'string', default: '12' }, threads: { type: 'string', default: '2' }, grad: { type: 'string', default: 'auto' }, conv: { type: 'string', default: 'auto' }, dx: { type: 'string', default: 'auto' }, preset: { type: 'string' } } })
const STEPS = Number(a.steps)
const B = 128
const [presetName, presetClasses] = (a.preset ?? '').split(':')
const defaultClasses = (p: string): number => (p.startsWith('glyph') ? 62 : p.startsWith('icon') ? 128 : 10)
const label = a.preset ?? (a.size === '64' ? 'base64' : 'small32')
const spec = a.preset ? resolveSpec(presetName!, presetClasses ? Number(presetClasses) : defaultClasses(presetName!)) : resolveSpec(a.size === '64' ? 'base64' : 'small32', 10)
const dir = 'out/profile'
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })

const { step, runner } = await syntheticStep(spec, B, a.grad as ConvWeightGrad, { threads: Number(a.threads), profile: join(dir, 'step') }, a.conv as ConvImpl, a.dx as ConvInputGrad)
const t0 = performance.now()
for (let i = 0; i < STEPS; i++) await step()
const wall = (performance.now() - t0) / STEPS
runner.endProfiling()
await runner.release()

type Event = { cat: string; name: string; dur: number; args: { op_name?: string; input_type_shape?: unknown } }
const trace = readdirSync(dir).find((f) => f.endsWith('.json'))
if (!trace) throw new Error(`onnxruntime wrote no profile under ${dir}`)
const kernels = (JSON.parse(readFileSync(join(dir, trace), 'utf8')) as Event[]).filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'))
const byOp = new Map<string, number>()
const byNode = new Map<string, { us: number; op: string; shapes: string }>()
let total = 0
for (const e of kernels) {
  const op = e.args.op_name ?? '?'
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur)
  total += e.dur
  const n = byNode.get(e.name) ?? { us: 0, op, shapes: JSON.stringify(e.args.input_type_shape) }
  n.us += e.dur
  byNode.set(e.name, n)
}
const ms = (us: number): string => (us / 1000 / STEPS).toFixed(2).padStart(7)
console.log(`${spec.imageSize}² ${label}, batch ${B}, ${a.threads} threads, dW ${a.grad}, conv ${a.conv}, dX ${a.dx}: ${(B / wall * 1000).toFixed(0)} img/s incl. profiling; kernels ${ms(total)} ms per step (trace: ${join(dir, trace)})\n`)
for (const [op, us] of [...byOp].sort((x, y) => y[1] - x[1])) console.log(`${op.padEnd(20)} ${ms(us)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %`)
console.log('\nmost expensive nodes (ms per step):')
for (const [name, n] of [...byNode].sort((x, y) => y[1].us - x[1].us).slice(0, 30)) console.log(`${ms(n.us)}  ${n.op.padEnd(14)} ${name.replace(/_kernel_time$/, '').slice(0, 56).padEnd(56)} ${n.shapes.slice(0, 120)}`)
