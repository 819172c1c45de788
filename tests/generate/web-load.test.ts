/** `latentype/web`: Generator.load(url) over real HTTP (a local server), and its failures. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator as NodeGenerator } from '../../sdk/index.js'
import { Generator, LatentypeError } from '../../sdk/web.js'
import { tinyModelBytes } from '../helpers/models.js'

const bytes = tinyModelBytes(5)

describe("latentype/web Generator.load(url)", () => {
  let server: Server
  let base: string
  const requests: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/models/tiny.onnx') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(bytes))
      else if (req.url === '/broken') res.writeHead(500).end('internal error')
      else if (req.url === '/junk.onnx') res.writeHead(200).end(Buffer.from('<!doctype html><title>not a model</title>'))
      else res.writeHead(404).end('not found')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
  })

  it('fetches the model and decodes exactly what the same bytes decode in Node', async () => {
    const web = await Generator.load(`${base}/models/tiny.onnx`)
    const node = await NodeGenerator.load(bytes)
    expect(requests).toContain('/models/tiny.onnx')
    expect(web.backend).toBe('onnxruntime-web/wasm')
    expect(web.card.name).toBe('test-tiny')
    const z = web.sample({ class: 'heart', n: 3, seed: 11 })
    const [a, b] = [await web.decode(z, 'heart'), await node.decode(z, 'heart')]
    a.forEach((bm, i) => bm.data.forEach((v, j) => expect(Math.abs(v - b[i]!.data[j]!)).toBeLessThanOrEqual(1e-5)))
    await web.dispose()
    await node.dispose()
  })

  it('an HTTP error status → FILE_NOT_FOUND naming the URL and the status', async () => {
    for (const [path, status] of [['/models/missing.onnx', 404], ['/broken', 500]] as const) {
      const err = await Generator.load(`${base}${path}`).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(LatentypeError)
      expect((err as LatentypeError).code).toBe('FILE_NOT_FOUND')
      expect((err as Error).message).toContain(`${base}${path}`)
      expect((err as Error).message).toContain(`HTTP ${status}`)
    }
  })

  it('a 200 response that is not a model → a typed error, not a crash in onnxruntime', async () => {
    const err = await Generator.load(`${base}/junk.onnx`).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LatentypeError)
    expect((err as Error).message).toMatch(/junk\.onnx/)
  })

  it('an unreachable server → FILE_NOT_FOUND naming the URL', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/model.onnx`
    await new Promise((r) => closed.close(r))
    const err = await Generator.load(url).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LatentypeError)
    expect((err as LatentypeError).code).toBe('FILE_NOT_FOUND')
    expect((err as Error).message).toContain(url)
  })
})
