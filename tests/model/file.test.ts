import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildModelFile, Generator, LatentypeError, parseModelFile, resolveSpec, CARD_KEY } from '../../sdk/index.js'
import { heInit } from '../../sdk/graph/layers.js'
import { decodeModel, encodeModel } from '../../sdk/onnx/model-proto.js'
import { Rng } from '../../sdk/random.js'
import { webBackend } from '../../sdk/runtime/web.js'
import { testClasses, tinyModelBytes } from '../helpers/models.js'

const code = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return e instanceof LatentypeError ? e.code : `not typed: ${String(e)}`
  }
  return undefined
}
const asyncCode = async (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e) => (e instanceof LatentypeError ? e.code : `not typed: ${String(e)}`))

describe('model file', () => {
  const bytes = tinyModelBytes()

  it('holds the card and the three graphs (decoder, encoder, refinement) with shapes matching the card', () => {
    const { card, model } = parseModelFile(bytes)
    expect(card.classes.map((c) => c.label)).toEqual(['heart', 'bell', 'A', 'a'])
    expect(model.opsetImports).toEqual([{ domain: '', version: 17 }])
    expect(model.graph.inputs.map((i) => i.name).sort()).toEqual(['dec_class', 'dec_z', 'enc_class', 'enc_image', 'fit_class', 'fit_target', 'fit_z'])
    expect(model.graph.outputs.map((o) => o.name).sort()).toEqual(['dec_image', 'enc_logvar', 'enc_mu', 'fit_grad', 'fit_rec'])
    expect(model.graph.outputs.find((o) => o.name === 'dec_image')!.shape).toEqual(['N', 1, 16, 16])
    expect(model.graph.outputs.find((o) => o.name === 'fit_grad')!.shape).toEqual(['N', 4])
    // the refinement graph reads the decoder's weights: no initializer is stored twice
    const names = model.graph.initializers.map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names.filter((n) => n.startsWith('dec/') && /weight/.test(n) && /_\d+$/.test(n))).toEqual([])
  })

  it('missing file → FILE_NOT_FOUND', async () => {
    expect(await asyncCode(Generator.load('/nonexistent/model.onnx'))).toBe('FILE_NOT_FOUND')
  })

  it('random bytes and truncated files → NOT_ONNX', async () => {
    const random = new Uint8Array(4096)
    const rng = new Rng(9)
    for (let i = 0; i < random.length; i++) random[i] = rng.int(256)
    expect(code(() => parseModelFile(random))).toBe('NOT_ONNX')
    expect(code(() => parseModelFile(bytes.subarray(0, Math.floor(bytes.length / 2))))).toBe('NOT_ONNX')
    expect(code(() => parseModelFile(new Uint8Array(0)))).toBe('NOT_ONNX')
    const dir = mkdtempSync(join(tmpdir(), 'lt-'))
    writeFileSync(join(dir, 'bad.onnx'), random)
    expect(await asyncCode(Generator.load(join(dir, 'bad.onnx')))).toBe('NOT_ONNX')
  })

  it('a valid ONNX model without a card → NO_MODEL_CARD', () => {
    const m = decodeModel(bytes)
    m.metadata = {}
    expect(code(() => parseModelFile(encodeModel(m)))).toBe('NO_MODEL_CARD')
  })

  it('a card that is not JSON or misses fields → BAD_MODEL_CARD naming the field', () => {
    const m = decodeModel(bytes)
    m.metadata[CARD_KEY] = '{not json'
    expect(code(() => parseModelFile(encodeModel(m)))).toBe('BAD_MODEL_CARD')
    const card = JSON.parse(decodeModel(bytes).metadata[CARD_KEY]!)
    delete card.classes
    m.metadata[CARD_KEY] = JSON.stringify(card)
    expect(() => parseModelFile(encodeModel(m))).toThrow(/classes/)
  })

  it('a card whose sizes disagree with the graph → SHAPE_MISMATCH', () => {
    const m = decodeModel(bytes)
    const card = JSON.parse(m.metadata[CARD_KEY]!)
    card.latentSize = 6
    card.spec.latentSize = 6
    m.metadata[CARD_KEY] = JSON.stringify(card)
    expect(code(() => parseModelFile(encodeModel(m)))).toBe('SHAPE_MISMATCH')
    expect(() => parseModelFile(encodeModel(m))).toThrow(/dec_z/)
  })

  it('the committed models load in onnxruntime-node and onnxruntime-web, and agree', async () => {
    for (const name of ['glyphs', 'icons', 'demo-glyphs', 'demo-icons']) {
      const node = await Generator.load(name)
      const web = await Generator.load(name, { backend: webBackend() })
      expect(node.card.imageSize).toBe(64)
      const z = node.sample({ class: 0, n: 2, seed: 1 })
      const [a, b] = [await node.decode(z, 0), await web.decode(z, 0)]
      a.forEach((bm, i) => bm.data.forEach((v, j) => expect(Math.abs(v - b[i]!.data[j]!)).toBeLessThanOrEqual(1e-5)))
      await node.dispose()
      await web.dispose()
    }
    await expect(Generator.load('glyphs').then((g) => g.card.classes.length)).resolves.toBe(62)
  }, 180_000)
})

describe('card framing', () => {
  it('a framing per class loads; one of the wrong length or out of 0..1 is BAD_MODEL_CARD naming the field', async () => {
    const card = { name: 'f', kind: 'glyphs' as const, classes: testClasses, spec: resolveSpec('tiny', testClasses.length), attribution: [], metrics: {} }
    const ok = parseModelFile(buildModelFile({ ...card, framing: { top: [0.1, 0.2, 0.1, 0.3], bottom: [0.8, 0.8, 0.7, 0.8] } }, heInit(1)))
    expect(ok.card.framing?.top).toEqual([0.1, 0.2, 0.1, 0.3])
    for (const framing of [{ top: [0.1], bottom: [0.8] }, { top: [0.1, 0.2, 0.1, 1.3], bottom: [0.8, 0.8, 0.7, 0.8] }]) {
      let err: unknown
      try {
        buildModelFile({ ...card, framing }, heInit(1))
      } catch (e) {
        err = e
      }
      expect((err as LatentypeError).code).toBe('BAD_MODEL_CARD')
      expect((err as Error).message).toMatch(/framing must hold top and bottom: one fraction in 0\.\.1 per class \(4\)/)
    }
  })
})
