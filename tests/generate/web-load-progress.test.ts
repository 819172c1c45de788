/** latentype/web's loading: progress events, HTTP errors, 'auto' execution providers, and wasm file recognition. */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator, LatentypeError, ORT_WASM_FILES, ortWasmBuildOf, webGpuUnavailable, type LoadProgress } from '../../sdk/web.js'
import { Generator as NodeGenerator } from '../../sdk/index.js'
import { tinyModelBytes } from '../helpers/models.js'

const bytes = tinyModelBytes()
const server = createServer((req, res) => {
  if (req.url === '/tiny.onnx') {
    res.writeHead(200, { 'content-length': bytes.length, 'content-type': 'application/octet-stream' })
    // Two chunks, so progress reports more than once.
    res.write(bytes.subarray(0, 1000))
    setTimeout(() => res.end(bytes.subarray(1000)), 20)
  } else res.writeHead(404).end('no')
})
let base = ''
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

describe('latentype/web loading', () => {
  it('a URL loads with transformers.js-style progress: initiate → progress … 100 → done → ready', async () => {
    const events: LoadProgress[] = []
    const gen = await Generator.load(`${base}/tiny.onnx`, { onProgress: (p) => events.push(p), executionProviders: 'auto' })
    expect(events[0]).toEqual({ status: 'initiate', file: `${base}/tiny.onnx` })
    const progress = events.filter((e) => e.status === 'progress')
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.at(-1)).toEqual({ status: 'progress', file: `${base}/tiny.onnx`, loaded: bytes.length, total: bytes.length, progress: 100 })
    expect(events.slice(-2)).toEqual([
      { status: 'done', file: `${base}/tiny.onnx`, loaded: bytes.length },
      { status: 'ready', file: `${base}/tiny.onnx`, backend: 'onnxruntime-web/wasm' },
    ])
    // 'auto' in Node: no navigator.gpu, so wasm.
    expect(gen.backend).toBe('onnxruntime-web/wasm')
    expect(await webGpuUnavailable()).toMatch(/navigator\.gpu is missing/)
    await gen.dispose()
  }, 60_000)

  it('bytes and Node paths report progress too; a missing URL is FILE_NOT_FOUND with the status', async () => {
    const events: string[] = []
    const gen = await NodeGenerator.load(bytes, { onProgress: (p) => events.push(p.status) })
    expect(events).toEqual(['initiate', 'progress', 'done', 'ready'])
    await gen.dispose()
    const e = await Generator.load(`${base}/missing.onnx`).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(LatentypeError)
    expect((e as LatentypeError).code).toBe('FILE_NOT_FOUND')
    expect((e as LatentypeError).message).toBe(`could not fetch model ${base}/missing.onnx: HTTP 404 — check the URL`)
  }, 60_000)

  it('tells the onnxruntime-web wasm builds apart, and refuses bytes that are not WebAssembly', async () => {
    const dist = 'node_modules/onnxruntime-web/dist'
    for (const [build, file] of Object.entries(ORT_WASM_FILES)) expect(ortWasmBuildOf(readFileSync(`${dist}/${file}`)), file).toBe(build)
    expect(ortWasmBuildOf(new TextEncoder().encode('<!doctype html>'))).toBeNull()
    expect(ortWasmBuildOf(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0))).toBe('unknown')
    const e = (await Generator.load(bytes, { wasmBinary: new TextEncoder().encode('{"error":"not found"}') }).catch((x: unknown) => x)) as LatentypeError
    expect(e.code).toBe('BAD_WASM')
    expect(e.message).toMatch(/^wasmBinary is not a WebAssembly file \(21 bytes, starting 7b 22 65 72\) — pass the bytes of ort-wasm-simd-threaded\.wasm/)
  }, 60_000)
})
