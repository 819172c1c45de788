/**
 * The worker's "style from selection" API in Node (the same LatentypeWorker object comlink exposes, real
 * onnxruntime-web wasm, the shipped icons model): three Phosphor icons of one weight are drawn as every other
 * concept in that weight; "Match closely" refines with progress, and cancelling it stops it between steps.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultWasmBuild, ORT_WASM_FILES } from '../../sdk/runtime/web.js'
import { LatentypeWorker, type Batch, type PngReference } from '../../ui/worker/api.js'
import { writeFixtureModels } from './fixtures.js'
import { phosphorPng } from './style-fixtures.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const T = 120_000

/** Mean coverage of the drawings of classes other than `skip`. */
function meanInk(b: Batch, classes: number[], skip: Set<number>): number {
  let sum = 0
  let n = 0
  b.bitmaps.forEach((bm, i) => {
    if (skip.has(classes[i]!)) return
    for (const v of bm.data) sum += v
    n += bm.data.length
  })
  return sum / n
}

describe('worker: style from several selected icons (shipped icons model, onnxruntime-web wasm)', () => {
  const worker = new LatentypeWorker()
  let classes: number[] = []
  let ids: Record<string, number> = {}
  const refs = (weight: 'fill' | 'thin'): PngReference[] => ['heart', 'bell', 'house'].map((n) => ({ png: phosphorPng(`${n}-${weight}`), class: ids[n === 'house' ? 'home' : n]! }))

  beforeAll(async () => {
    const wasmDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'))
    await worker.init(new Uint8Array(readFileSync(join(wasmDir, ORT_WASM_FILES[defaultWasmBuild()]))), 'wasm')
    const m = await worker.load('icons', new Uint8Array(readFileSync(join(ROOT, 'models/icons.onnx'))))
    classes = m.card.classes.map((c) => c.id)
    ids = Object.fromEntries(m.card.classes.map((c) => [c.label, c.id]))
  }, T)
  afterAll(async () => undefined)

  it('three filled icons give filled concepts, three thin ones thin concepts (every other class)', async () => {
    const skip = new Set([ids.heart!, ids.bell!, ids.home!])
    const fill = await worker.styleFromPngs('icons', refs('fill'), classes)
    const thin = await worker.styleFromPngs('icons', refs('thin'), classes)
    expect(fill.bitmaps).toHaveLength(classes.length)
    const [inkFill, inkThin] = [meanInk(fill, classes, skip), meanInk(thin, classes, skip)]
    console.log(`icons, mean ink of the other ${classes.length - 3} concepts: fill ${inkFill.toFixed(3)}, thin ${inkThin.toFixed(3)} (${(inkFill / inkThin).toFixed(2)}×)`)
    expect(inkFill / inkThin).toBeGreaterThan(1.5)
  }, T)

  it('a model without a fitted prior (the UI fixtures) draws the style as several classes, each its own latent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latentype-worker-style-'))
    try {
      await worker.load('fixture', new Uint8Array(readFileSync(writeFixtureModels(dir).icons)))
      const b = await worker.styleFromPngs('fixture', [{ png: phosphorPng('heart'), class: 0 }], [0, 1, 2, 3])
      expect(b.latents).toHaveLength(4)
      expect(new Set(b.latents.map((z) => z.buffer)).size).toBe(4)
      expect(Array.from(b.latents[3]!)).toEqual(Array.from(b.latents[0]!))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, T)

  it('match closely: progress from step 0 to the last, in order; the refined style lowers the loss', async () => {
    const seen: number[] = []
    const out = await worker.fitFromPngs('icons', refs('fill'), classes, { steps: 20 }, ({ step, steps }) => {
      expect(steps).toBe(20)
      seen.push(step)
    })
    expect(out).not.toBeNull()
    expect(seen).toEqual(Array.from({ length: 21 }, (_, i) => i))
    expect(out!.losses).toHaveLength(21)
    expect(Math.min(...out!.losses)).toBeLessThan(out!.losses[0]!)
    expect(out!.bitmaps).toHaveLength(classes.length)
    console.log(`icons fit, 3 references × 20 steps: ${out!.ms.toFixed(0)} ms in Node (onnxruntime-web wasm); loss ${out!.losses[0]!.toFixed(1)} → ${Math.min(...out!.losses).toFixed(1)}`)
  }, T)

  it('cancel stops a fit between steps (resolves null) and the next fit runs normally', async () => {
    expect(worker.cancelFit()).toBe(false)
    const seen: number[] = []
    const run = worker.fitFromPngs('icons', refs('thin'), classes, { steps: 1000 }, ({ step }) => {
      seen.push(step)
      if (step === 2) expect(worker.cancelFit()).toBe(true)
    })
    expect(await run).toBeNull()
    expect(Math.max(...seen)).toBeLessThan(10)
    // the cancel message arrives from outside (comlink): the worker yields between steps, so a timer gets in too
    const seen2: number[] = []
    const run2 = worker.fitFromPngs('icons', refs('thin'), classes, { steps: 1000 }, ({ step }) => void seen2.push(step))
    setTimeout(() => worker.cancelFit(), 50)
    expect(await run2).toBeNull()
    expect(Math.max(...seen2)).toBeLessThan(1000)
    const after = await worker.fitFromPngs('icons', refs('thin'), classes, { steps: 2 })
    expect(after!.losses).toHaveLength(3)
  }, T)
})
