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

/** p50 latency of decoding `batch` latents, per engine, measured round-robin so no engine gets a warmer machine. */
async function timeAll(gens: Generator[], batch: number): Promise<number[]> {
  const z = gens[0]!.sample({ class: 0, n: batch, seed: 1 })
  for (const g of gens) for (let i = 0; i < 10; i++) await g.decode(z, 0)
  const runs = batch === 1 ? 100 : batch === 16 ? 20 : 8
  const times: number[][] = gens.map(() => [])
  for (let round = 0; round < 5; round++) {
    for (const [k, g] of gens.entries()) {
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        await g.decode(z, 0)
        times[k]!.push(performance.now() - t0)
      }
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!)
}

const { bytes, name } = modelBytes()
const engines: [string, Generator][] = [
  ['onnxruntime-node', await Generator.load(bytes)],
  ['onnxruntime-node-2threads', await Generator.load(bytes, { threads: 2 })],
  ['onnxruntime-web-wasm', await Generator.load(bytes, { backend: webBackend({ numThreads: 1 }) })],
]
const results: Record<string, Record<string, number>> = Object.fromEntries(engines.map(([e]) => [e, {}]))
for (const batch of [1, 16, 64]) {
  const p50 = await timeAll(engines.map(([, g]) => g), batch)
  engines.forEach(([e], k) => (results[e]![`b${batch}_ms`] = +p50[k]!.toFixed(4)))
}
for (const [, g] of engines) await g.dispose()
const node = results['onnxruntime-node']!
const wasm = results['onnxruntime-web-wasm']!
console.log(JSON.stringify({ bench: 'infer', model: name, ...Object.fromEntries(Object.entries(results).flatMap(([e, r]) => Object.entries(r).map(([k, v]) => [`${e}.${k}`, v]))), wasm_over_node_b1: +(wasm.b1_ms! / node.b1_ms!).toFixed(2), target_node_b1_ms: 0.3, target_wasm_b1_ms: 1 }))
console.log(`\ndecode latency, p50 ms (${name})`)
console.log('engine'.padEnd(28) + ['batch 1', 'batch 16', 'batch 64'].map((s) => s.padStart(10)).join(''))
for (const [e, r] of Object.entries(results)) console.log(e.padEnd(28) + [r.b1_ms, r.b16_ms, r.b64_ms].map((v) => v!.toFixed(3).padStart(10)).join(''))
