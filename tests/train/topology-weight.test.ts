/**
 * `topologyWeight`: the fragile pixels of a drawing (middles of thin strokes and small parts) are found
 * as documented, and the training step weighs the reconstruction term there by 1 + the weight.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { thinParts } from '../../sdk/image/thin-parts.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import type { ImageSet } from '../../sdk/train/data.js'
import { Trainer } from '../../sdk/train/trainer.js'
import { barSet } from '../helpers/bar-set.js'

const S = 32
/** A 32×32 drawing from filled rectangles [x0, y0, x1, y1) (exclusive ends). */
function draw(rects: [number, number, number, number][]): Float32Array {
  const c = new Float32Array(S * S)
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) c[y * S + x] = 1
  return c
}
const at = (m: Uint8Array, x: number, y: number): number => m[y * S + x]!

describe('thin parts', () => {
  it('marks a hairline and a small dot; not the inside or corners of a thick block, nor paper', () => {
    // a 1-px hairline (row 3), a 2×2 dot, two 10-px blocks 2 px apart
    const m = thinParts(draw([[2, 3, 28, 4], [4, 8, 6, 10], [2, 14, 12, 28], [14, 14, 24, 28]]), S)
    for (let x = 4; x < 26; x++) expect(at(m, x, 3), `hairline at x ${x}`).toBe(1)
    expect(at(m, 4, 8) + at(m, 5, 8) + at(m, 4, 9) + at(m, 5, 9)).toBeGreaterThan(0)
    // paper: the 2-px gap between the blocks (columns 12, 13) too
    for (let y = 14; y < 28; y++) expect(at(m, 12, y) + at(m, 13, y), `gap at y ${y}`).toBe(0)
    // the middle of each block, open paper left of them and below the hairline
    for (let y = 17; y < 25; y++) for (const x of [5, 6, 7, 8, 17, 18, 19, 20]) expect(at(m, x, y), `block at ${x},${y}`).toBe(0)
    for (let x = 10; x < 30; x++) expect(at(m, x, 6), `open paper at ${x}`).toBe(0)
    expect(at(m, 30, 20)).toBe(0)
    // the corners of a thick block end its medial axis, but are not thin parts
    for (const [x, y] of [[2, 14], [11, 14], [2, 27], [23, 27]] as const) expect(at(m, x, y), `corner ${x},${y}`).toBe(0)
  })

  it('reads uint8 coverage with ink 255 at the 0.5 level, as training binarises it (128 is ink, 127 paper)', () => {
    const f = draw([[2, 3, 28, 4]])
    const u8 = Uint8Array.from(f, (v) => (v ? 128 : 127))
    expect(Array.from(thinParts(u8, S, { ink: 255 }))).toEqual(Array.from(thinParts(f, S)))
    expect(thinParts(u8, S, { ink: 255 }).some((v) => v === 1)).toBe(true)
  })
})

describe('topologyWeight in training', () => {
  const spec = resolveSpec('tiny', 4)
  const firstStep = async (set: ImageSet, topologyWeight: number, o: { field?: boolean; stylePairs?: number } = {}): Promise<number> => {
    const s = o.field ? resolveSpec({ ...spec, likelihood: 'distance-field' }, 4) : spec
    const t = await Trainer.create({ spec: s, seed: 3, batchSize: 8, steps: 1, lr: 1e-3, binarize: 'none', threads: 1, topologyWeight, stylePairs: o.stylePairs }, { train: set })
    const rec = (await t.run()).final.rec
    await t.close()
    return rec
  }

  it('weighs the reconstruction term more on thin parts and nowhere else', async () => {
    // 3-row bars: their middle rows are thin parts
    const bars = barSet({ top: 1, height: 3, left: 3, right: 6 })
    const plain = await firstStep(bars, 0)
    expect(await firstStep(bars, 2)).toBeGreaterThan(plain * 1.02)
    // the term is rec + w·(NLL on thin parts): linear in w
    const one = await firstStep(bars, 1)
    expect(await firstStep(bars, 2) - plain).toBeCloseTo(2 * (one - plain), 1)
    // blank drawings have no thin parts: the same step, the same loss
    const blank: ImageSet = { ...bars, pixels: new Uint8Array(bars.pixels.length) }
    expect(await firstStep(blank, 2)).toBeCloseTo(await firstStep(blank, 0), 4)
  })

  it('weighs the decoder target of style pairs and of distance-field models', async () => {
    const bars = barSet({ top: 1, height: 3, left: 3, right: 6 })
    expect(await firstStep(bars, 2, { stylePairs: 1 })).toBeGreaterThan((await firstStep(bars, 0, { stylePairs: 1 })) * 1.02)
    expect(await firstStep(bars, 2, { field: true })).toBeGreaterThan((await firstStep(bars, 0, { field: true })) * 1.02)
  })

  it('a negative weight is refused with the fix; a run resumes only with the same weight', async () => {
    const bars = barSet({ top: 1, height: 3, left: 3, right: 6 })
    await expect(Trainer.create({ spec, seed: 1, batchSize: 8, steps: 1, lr: 1e-3, threads: 1, topologyWeight: -1 }, { train: bars })).rejects.toThrow(/topologyWeight \(--topology-weight\) must be a finite number, 0 or more .* use 0 \(off\) or e.g. 8/)
    await expect(Trainer.create({ spec, seed: 1, batchSize: 8, steps: 1, lr: 1e-3, threads: 1, topologyWeight: Infinity }, { train: bars })).rejects.toThrow(/must be a finite number/)
    const dir = mkdtempSync(join(tmpdir(), 'lt-topo-'))
    try {
      const cfg = { spec, seed: 1, batchSize: 8, steps: 4, lr: 1e-3, threads: 1, topologyWeight: 2 }
      const a = await Trainer.create(cfg, { train: bars }, { outDir: dir })
      await a.run({ stopAfter: 3 })
      await a.close()
      await expect(Trainer.create({ ...cfg, topologyWeight: 1 }, { train: bars }, { outDir: dir, resume: true })).rejects.toThrow(/another spec, seed, batch size or loss .*topology weight/)
      const b = await Trainer.create(cfg, { train: bars }, { outDir: dir, resume: true })
      expect(b.step).toBe(3)
      await b.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
