/**
 * Damaged and degenerate model files: a checksum in the card catches flipped bits in the weights (DAMAGED_MODEL),
 * NaN/Inf weights and graphs onnxruntime refuses are BAD_MODEL, card fields of the wrong shape are BAD_MODEL_CARD.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CARD_KEY, Generator, LatentypeError, modelChecksum, parseModelFile, validateCard, buildModelFile, resolveSpec } from '../../sdk/index.js'
import { withCard } from '../../sdk/eval/card-update.js'
import { heInit } from '../../sdk/graph/layers.js'
import { crc32 } from '../../sdk/image/crc32.js'
import { crc32Update } from '../../sdk/model/integrity.js'
import { decodeModel, encodeModel, type ModelProto } from '../../sdk/onnx/model-proto.js'
import { Rng } from '../../sdk/random.js'
import { testClasses, tinyModelBytes } from '../helpers/models.js'

const codeOf = async (f: () => unknown): Promise<string> => {
  try {
    await f()
  } catch (e) {
    return e instanceof LatentypeError ? e.code : `untyped ${(e as Error).name}: ${(e as Error).message}`
  }
  return 'ok'
}

/** Re-encodes `m` with its card's checksum recomputed (a consistent file, as an exporter would write it). */
function resealed(m: ModelProto, edit: (card: Record<string, unknown>) => void = () => undefined): Uint8Array {
  const card = JSON.parse(m.metadata[CARD_KEY]!) as Record<string, unknown>
  edit(card)
  card.checksum = modelChecksum(encodeModel({ ...m, metadata: {} }))
  return encodeModel({ ...m, metadata: { ...m.metadata, [CARD_KEY]: JSON.stringify(card) } })
}

describe('model integrity', () => {
  const bytes = tinyModelBytes()

  it('buildModelFile stores the checksum; a card rewrite keeps it valid; the CRC matches zlib/PNG CRC-32', () => {
    const { card } = parseModelFile(bytes)
    expect(card.checksum).toMatch(/^crc32:[0-9a-f]{8}$/)
    expect(card.checksum).toBe(modelChecksum(bytes))
    const rewritten = withCard(bytes, (c) => ({ ...c, metrics: { ...c.metrics, active_units: 3 } }))
    expect(parseModelFile(rewritten).card.metrics.active_units).toBe(3)
    const rng = new Rng(4)
    const data = Uint8Array.from({ length: 1000 }, () => rng.int(256))
    for (const n of [0, 1, 7, 8, 9, 1000]) expect(crc32Update(0, data.subarray(0, n))).toBe(crc32(data.subarray(0, n)))
    expect(crc32Update(crc32Update(0, data.subarray(0, 333)), data.subarray(333))).toBe(crc32(data))
  })

  it('files exported before the checksum (the committed models) still load', async () => {
    const m = decodeModel(bytes)
    const card = JSON.parse(m.metadata[CARD_KEY]!) as Record<string, unknown>
    delete card.checksum
    m.metadata[CARD_KEY] = JSON.stringify(card)
    expect(parseModelFile(encodeModel(m)).card.checksum).toBeUndefined()
  })

  it('every copy with 1–10 flipped bits fails with a typed error or decodes exactly like the original', async () => {
    const original = await Generator.load(bytes)
    const z = original.sample({ class: 0, n: 2, seed: 1 })
    const want = (await original.decode(z, 0)).map((b) => Array.from(b.data))
    await original.dispose()
    // The same damage on a file without a checksum, for comparison (what the issue measured: 79 of 244 loaded).
    const m = decodeModel(bytes)
    const card = JSON.parse(m.metadata[CARD_KEY]!) as Record<string, unknown>
    delete card.checksum
    m.metadata[CARD_KEY] = JSON.stringify(card)
    const unsealed = encodeModel(m)
    const rng = new Rng(2024)
    const tally = { withChecksum: {} as Record<string, number>, withoutChecksum: {} as Record<string, number> }
    for (let copy = 0; copy < 120; copy++) {
      const flips = 1 + rng.int(10)
      const positions = Array.from({ length: flips }, () => [rng.int(bytes.length), rng.int(8)] as const)
      for (const [kind, src] of [['withChecksum', bytes], ['withoutChecksum', unsealed]] as const) {
        const damaged = src.slice()
        for (const [pos, bit] of positions) if (pos < damaged.length) damaged[pos]! ^= 1 << bit
        let outcome: string
        try {
          const g = await Generator.load(damaged)
          const got = (await g.decode(z, 0)).map((b) => Array.from(b.data))
          await g.dispose()
          outcome = JSON.stringify(got) === JSON.stringify(want) ? 'loaded, same output' : 'loaded, CHANGED output'
        } catch (e) {
          expect(e, `copy ${copy} (${kind}) threw ${String(e)}`).toBeInstanceOf(LatentypeError)
          outcome = (e as LatentypeError).code
        }
        tally[kind][outcome] = (tally[kind][outcome] ?? 0) + 1
      }
    }
    console.log(`120 copies with 1–10 flipped bits:\n  with checksum    ${JSON.stringify(tally.withChecksum)}\n  without checksum ${JSON.stringify(tally.withoutChecksum)}`)
    expect(tally.withChecksum['loaded, CHANGED output']).toBeUndefined()
    expect(tally.withChecksum.DAMAGED_MODEL).toBeGreaterThan(50)
  }, 240_000)

  it('a damaged file is named as damaged, with the path', async () => {
    const damaged = bytes.slice()
    const { model } = parseModelFile(bytes)
    // Flip one bit inside the first initializer's raw data: still valid ONNX, different weights.
    const raw = model.graph.initializers[0]!.rawData
    const at = indexOf(bytes, raw.subarray(0, 16))
    damaged[at + 5]! ^= 0x10
    const dir = mkdtempSync(join(tmpdir(), 'lt-damaged-'))
    const path = join(dir, 'model.onnx')
    writeFileSync(path, damaged)
    const e = await Generator.load(path).then(() => null, (x: unknown) => x as LatentypeError)
    expect(e?.code).toBe('DAMAGED_MODEL')
    expect(e?.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged: its weights and graph do not match the checksum in its model card`))
  })

  it('NaN/Inf weights (float32 and float16) are refused at load with BAD_MODEL naming the tensor', async () => {
    const m = decodeModel(bytes)
    const t = m.graph.initializers.find((x) => x.dataType === 1 && x.rawData.length >= 8)!
    new DataView(t.rawData.buffer, t.rawData.byteOffset).setFloat32(4, NaN, true)
    const e = await Generator.load(resealed(m)).then(() => null, (x: unknown) => x as LatentypeError)
    expect(e?.code).toBe('BAD_MODEL')
    expect(e?.message).toBe(`model has a non-finite weight: "${t.name}"[1] is NaN — the model diverged during training or was damaged; retrain (lower --lr, or --clip-norm) or re-export it`)
    const card = { name: 'h', kind: 'other' as const, classes: testClasses, spec: resolveSpec('tiny', testClasses.length), attribution: [], metrics: {}, weightFormat: 'float16' as const }
    const half = decodeModel(buildModelFile(card, heInit(2)))
    const h = half.graph.initializers.find((x) => x.dataType === 10)!
    h.rawData[0] = 0x00
    h.rawData[1] = 0xfc // -Infinity
    expect(await codeOf(() => parseModelFile(resealed(half)))).toBe('BAD_MODEL')
    expect(() => parseModelFile(resealed(half))).toThrow(/is -Infinity/)
  })

  it('a file onnxruntime refuses is BAD_MODEL, without onnxruntime source paths (those stay in the cause)', async () => {
    const m = decodeModel(bytes)
    m.graph.nodes.find((n) => n.opType === 'Gemm')!.opType = 'NoSuchOp'
    const e = await Generator.load(resealed(m)).then(() => null, (x: unknown) => x as LatentypeError)
    expect(e?.code).toBe('BAD_MODEL')
    expect(e?.message).toMatch(/^onnxruntime-node\/cpu could not open the model: .*No Op registered for NoSuchOp.* — the file is damaged or not a latentype model/)
    expect(e?.cause).toBeInstanceOf(Error)
    const short = decodeModel(bytes)
    short.graph.initializers[0]!.rawData = short.graph.initializers[0]!.rawData.slice(0, 6)
    const s = await Generator.load(resealed(short)).then(() => null, (x: unknown) => x as LatentypeError)
    expect(s?.code).toBe('BAD_MODEL')
    expect(s?.message).not.toMatch(/onnxruntime_src|\.cc:\d+/)
    expect(String((s?.cause as Error).message)).toMatch(/\.cc:\d+/)
  })

  it('card fields of the wrong shape are BAD_MODEL_CARD naming the field, never a TypeError', async () => {
    const good = JSON.parse(decodeModel(bytes).metadata[CARD_KEY]!) as Record<string, unknown>
    const fields = [...Object.keys(good), 'directions', 'latentKl', 'training', 'weightFormat', 'description']
    const bad: unknown[] = [null, {}, [], [null], [{}], 'x', 1, -1, true, { 0: 1 }, [[1]]]
    let refused = 0
    for (const field of fields) {
      for (const value of bad) {
        const card = { ...structuredClone(good), [field]: value }
        let code: string
        try {
          validateCard(card)
          code = 'ok'
        } catch (e) {
          expect(e, `${field}: ${JSON.stringify(value)} threw ${String(e)}`).toBeInstanceOf(LatentypeError)
          code = (e as LatentypeError).code
        }
        if (code !== 'ok') {
          expect(code).toBe('BAD_MODEL_CARD')
          refused++
        }
      }
    }
    expect(refused).toBeGreaterThan(fields.length * 8)
    expect(() => validateCard({ ...good, directions: [null] })).toThrow(/directions\[0\] must be \{ name, label, vector \} \(got null\)/)
    expect(() => validateCard({ ...good, classes: [{}] })).toThrow(/classes\[0\] must be \{ id: 0, label, synonyms \}/)
    expect(() => validateCard({ ...good, attribution: [null] })).toThrow(/attribution\[0\] must be/)
    expect(() => validateCard({ ...good, metrics: { a: null } })).toThrow(/metrics\.a must be a number or a string/)
    const m = decodeModel(bytes)
    m.metadata[CARD_KEY] = JSON.stringify({ ...good, directions: [null] })
    const e = await Generator.load(encodeModel(m)).then(() => null, (x: unknown) => x as LatentypeError)
    expect(e?.code).toBe('BAD_MODEL_CARD')
    expect(e?.message).toMatch(/^model: model card is invalid: directions\[0\]/)
  })
})

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= hay.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer
    return i
  }
  throw new Error('needle not found')
}

describe('model integrity on Node Buffers', () => {
  it('parses a model read as a Buffer (unaligned views into the shared pool)', () => {
    const bytes = tinyModelBytes()
    // A Buffer whose data starts at an odd offset of its ArrayBuffer, as pooled Buffers can.
    const backing = Buffer.alloc(bytes.length + 3)
    backing.set(bytes, 3)
    const odd = backing.subarray(3)
    expect(odd.byteOffset % 4).not.toBe(0)
    expect(parseModelFile(odd).card.name).toBe('test-tiny')
  })
})
