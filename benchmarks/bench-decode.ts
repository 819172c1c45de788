/**
 * `npm run bench:decode -- <model.onnx> <peer.onnx> [more…]`: decode-1 latency on onnxruntime-web (wasm, 1 thread,
 * as in the Figma plugin) of several model files measured round-robin in one run, each as a ratio to the first
 * peer given after the first file. Used to hold a new model to a budget against the one it replaces, e.g.
 * `git show 5297d76:models/glyphs.onnx > /tmp/glyphs-v1.onnx && npm run bench:decode -- models/glyphs.onnx /tmp/glyphs-v1.onnx`.
 * Prints one JSON line, then a table.
 */
import { readFileSync } from 'node:fs'
import { Generator } from '../sdk/index.js'
import { webBackend } from '../sdk/runtime/web.js'

const files = process.argv.slice(2)
if (files.length < 2) {
  console.error('usage: npm run bench:decode -- <model.onnx> <peer.onnx> [more.onnx …]')
  process.exit(2)
}
const gens = await Promise.all(files.map((f) => Generator.fromBytes(new Uint8Array(readFileSync(f)), webBackend({ numThreads: 1 }), f)))
const zs = gens.map((g) => g.sample({ class: 0, n: 1, seed: 1 }))
for (const [k, g] of gens.entries()) for (let i = 0; i < 20; i++) await g.decode(zs[k]!, 0)
const times: number[][] = gens.map(() => [])
for (let round = 0; round < 30; round++) {
  for (const [k, g] of gens.entries()) {
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) await g.decode(zs[k]!, 0)
    times[k]!.push((performance.now() - t0) / 20)
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!
const ms = times.map(median)
const result = Object.fromEntries(files.map((f, k) => [f, { decode1_ms: +ms[k]!.toFixed(3), ratio_vs_peer: +(ms[k]! / ms[1]!).toFixed(3) }]))
console.log(JSON.stringify({ bench: 'decode', backend: gens[0]!.backend, peer: files[1], results: result }))
for (const [k, f] of files.entries()) console.log(`${f.padEnd(40)} latent ${String(gens[k]!.card.latentSize).padStart(3)}  decode-1 ${ms[k]!.toFixed(3)} ms  ×${(ms[k]! / ms[1]!).toFixed(2)} of the peer`)
await Promise.all(gens.map((g) => g.dispose()))
