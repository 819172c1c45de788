/**
 * `npm run bench:infer`: decoder latency for batch 1/16/64 at 64×64, onnxruntime-node vs onnxruntime-web (wasm,
 * 1 thread — as in the Figma plugin), on the shipped default glyph model (or the base64 architecture with
 * random weights when no trained model exists: latency does not depend on the weights).
 * Prints one JSON line, then a table. Targets: batch 1 ≤ 0.3 ms (node), ≤ 1 ms (wasm).
 */
import { existsSync } from 'node:fs'
import { buildModelFile, defaultModel, Generator, resolveSpec } from '../sdk/index.js'
import { heInit } from '../sdk/graph/layers.js'
import { webBackend } from '../sdk/runtime/web.js'

function modelBytes(): { bytes: Uint8Array | string; name: string } {
  const d = defaultModel('glyphs')
  if (d.trained && existsSync(d.path)) return { bytes: d.path, name: d.path }
  const classes = Array.from({ length: 62 }, (_, id) => ({ id, label: `c${id}`, synonyms: [] }))
  const bytes = buildModelFile({ name: 'bench-base64', kind: 'glyphs', classes, spec: resolveSpec('base64', 62), attribution: [], metrics: {} }, heInit(1))
  return { bytes, name: 'base64 preset, random weights' }
}

async function time(gen: Generator, batch: number): Promise<{ p50: number; mean: number }> {
  const z = gen.sample({ class: 0, n: batch, seed: 1 })
  for (let i = 0; i < 10; i++) await gen.decode(z, 0)
  const runs = batch === 1 ? 400 : batch === 16 ? 100 : 40
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await gen.decode(z, 0)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(runs / 2)]!, mean: times.reduce((a, b) => a + b, 0) / runs }
}

const { bytes, name } = modelBytes()
const engines: [string, Generator][] = [
  ['onnxruntime-node', await Generator.load(bytes)],
  ['onnxruntime-node-1thread', await Generator.load(bytes, { threads: 1 })],
  ['onnxruntime-web-wasm', await Generator.load(bytes, { backend: webBackend({ numThreads: 1 }) })],
]
const results: Record<string, Record<string, number>> = {}
for (const [engine, gen] of engines) {
  results[engine] = {}
  for (const batch of [1, 16, 64]) results[engine]![`b${batch}_ms`] = +(await time(gen, batch)).p50.toFixed(4)
  await gen.dispose()
}
const node = results['onnxruntime-node']!
const wasm = results['onnxruntime-web-wasm']!
console.log(JSON.stringify({ bench: 'infer', model: name, ...Object.fromEntries(Object.entries(results).flatMap(([e, r]) => Object.entries(r).map(([k, v]) => [`${e}.${k}`, v]))), wasm_over_node_b1: +(wasm.b1_ms! / node.b1_ms!).toFixed(2), target_node_b1_ms: 0.3, target_wasm_b1_ms: 1 }))
console.log(`\ndecode latency, p50 ms (${name})`)
console.log('engine'.padEnd(28) + ['batch 1', 'batch 16', 'batch 64'].map((s) => s.padStart(10)).join(''))
for (const [e, r] of Object.entries(results)) console.log(e.padEnd(28) + [r.b1_ms, r.b16_ms, r.b64_ms].map((v) => v!.toFixed(3).padStart(10)).join(''))
