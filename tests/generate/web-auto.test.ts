/**
 * `executionProviders: 'auto'` says why it chose wasm (the plugin's worker shows this reason): no WebGPU in Node, a
 * wasm-only build given as bytes; an explicit provider list has no reason to give.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { Generator, ORT_WASM_FILES, webBackend } from '../../sdk/web.js'
import { tinyModelBytes } from '../helpers/models.js'

const bytes = tinyModelBytes()
const dist = createRequire(import.meta.url).resolve('onnxruntime-web').replace(/[^/]+$/, '')

describe("webBackend 'auto'", () => {
  it('opens on wasm where there is no WebGPU and names the reason', async () => {
    const auto = webBackend({ executionProviders: 'auto' })
    expect(auto.wasmReason).toBeUndefined()
    const gen = await Generator.load(bytes, { backend: auto })
    expect(gen.backend).toBe('onnxruntime-web/wasm')
    expect(auto.wasmReason).toMatch(/navigator\.gpu is missing/)
    await gen.dispose()
  })

  it('a wasm-only build given as bytes is used as is, without asking for WebGPU', async () => {
    const wasmBinary = new Uint8Array(readFileSync(`${dist}${ORT_WASM_FILES.wasm}`))
    const auto = webBackend({ executionProviders: 'auto', wasmBinary, numThreads: 1 })
    const gen = await Generator.load(bytes, { backend: auto })
    expect(gen.backend).toBe('onnxruntime-web/wasm')
    expect(auto.wasmReason).toMatch(/onnxruntime-web\/wasm build \(ort-wasm-simd-threaded\.wasm\), which has no WebGPU/)
    const [bitmap] = await gen.decode(gen.sample({ class: 0, n: 1, seed: 1 }), 0)
    expect(bitmap!.data.some((v) => v > 0)).toBe(true)
    await gen.dispose()
  })

  it('an explicit provider list gives no reason', async () => {
    const wasm = webBackend({ executionProviders: ['wasm'] })
    const gen = await Generator.load(bytes, { backend: wasm })
    expect(wasm.wasmReason).toBeUndefined()
    await gen.dispose()
  })
})
