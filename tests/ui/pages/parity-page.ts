/**
 * Browser script for the WebGPU parity test: starts the worker embedded in the built ui.html (as the UI does)
 * once per EP preference on a localhost page, and compares their images.
 */
import { wrap } from 'comlink'
import type { LatentypeWorker } from '../../../ui/worker/api.js'
import { unpack } from '../../../ui/worker/unpack.js'

interface Run {
  backend: { ep: string; reason: string }
  bitmaps: Float32Array[]
}

const maxDiff = (a: Float32Array[], b: Float32Array[]): number => {
  let m = 0
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))))
  return m
}

async function runParity(modelKey: string): Promise<unknown> {
  const html = await (await fetch('/ui.html')).text()
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const get = (id: string): string => doc.getElementById(id)!.textContent!
  const url = URL.createObjectURL(new Blob([new TextDecoder().decode(await unpack(get('lt-worker')))], { type: 'text/javascript' }))
  const request = { class: 0, n: 4, seed: 7, temperature: 1 }
  const start = async (pref: 'webgpu' | 'wasm' | 'auto') => {
    const w = wrap<LatentypeWorker>(new Worker(url))
    await w.init(get('lt-ort-wasm'), pref)
    const m = await w.load(modelKey, get(`lt-model-${modelKey}`))
    const b = await w.generate(modelKey, request)
    return { w, run: { backend: m.backend, bitmaps: b.bitmaps.map((x) => x.data) } as Run }
  }
  const gpu = await start('webgpu')
  const cpu = await start('wasm')
  const auto = await start('auto')
  const lost = await gpu.w.loseDevice()
  await new Promise((r) => setTimeout(r, 200))
  const after = await gpu.w.generate(modelKey, request)
  return {
    gpu: gpu.run.backend,
    cpu: cpu.run.backend,
    auto: auto.run.backend,
    maxDiff: maxDiff(gpu.run.bitmaps, cpu.run.bitmaps),
    inkRange: [Math.min(...cpu.run.bitmaps[0]!), Math.max(...cpu.run.bitmaps[0]!)],
    lost,
    afterLoss: await gpu.w.backend(modelKey),
    maxDiffAfterLoss: maxDiff(after.bitmaps.map((x) => x.data), cpu.run.bitmaps),
  }
}

;(window as unknown as { runParity: typeof runParity }).runParity = runParity
