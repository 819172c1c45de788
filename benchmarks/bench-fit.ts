/**
 * `npm run bench:fit [-- models/glyphs.onnx models/icons.onnx]`: style from 4 references on onnxruntime-web (wasm,
 * 1 thread, as in the Figma plugin's worker): `encodeMany` and `fit` (default 30 steps), each also as a ratio to a
 * bare decode of 4 latents measured in the same run (machines of one kind differ by up to 2×). The references are
 * the model's own drawings of four classes. Prints one JSON line, then a table.
 */
import { readFileSync } from 'node:fs'
import { Generator, type Reference } from '../sdk/index.js'
import { webBackend } from '../sdk/runtime/web.js'

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['models/glyphs.onnx', 'models/icons.onnx']
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!
async function time(f: () => Promise<unknown>, runs: number): Promise<number> {
  await f()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    t.push(performance.now() - t0)
  }
  return median(t)
}
const results: Record<string, { decode4_ms: number; encode_many_ms: number; fit_ms: number; fit_steps: number; fit_vs_decode4: number }> = {}
for (const file of files) {
  const gen = await Generator.fromBytes(new Uint8Array(readFileSync(file)), webBackend({ numThreads: 1 }), file)
  const classes = gen.classes.slice(0, 4).map((c) => c.label)
  const latents = classes.map((c, i) => gen.sample({ class: c, n: 1, seed: 10 + i })[0]!)
  const drawn = await gen.decode(latents, classes)
  const refs: Reference[] = classes.map((c, i) => ({ class: c, bitmap: drawn[i]! }))
  const decode4 = await time(() => gen.decode(latents, classes), 20)
  const encodeMany = await time(() => gen.encodeMany(refs), 10)
  const fit = await time(() => gen.fit(refs), 5)
  results[file] = { decode4_ms: +decode4.toFixed(2), encode_many_ms: +encodeMany.toFixed(2), fit_ms: +fit.toFixed(1), fit_steps: 30, fit_vs_decode4: +(fit / decode4).toFixed(1) }
  await gen.dispose()
}
console.log(JSON.stringify({ bench: 'fit', backend: 'onnxruntime-web/wasm, 1 thread', references: 4, results }))
for (const [f, r] of Object.entries(results)) console.log(`${f.padEnd(22)} decode 4: ${r.decode4_ms.toFixed(1)} ms   encodeMany 4: ${r.encode_many_ms.toFixed(1)} ms   fit 4 × 30 steps: ${r.fit_ms.toFixed(0)} ms = ×${r.fit_vs_decode4} a decode of 4 (target ≤ 1 s)`)
