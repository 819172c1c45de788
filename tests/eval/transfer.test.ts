/**
 * Style transfer metric on known answers, on a small real glyph set (Roboto and Lora fixtures): a model that
 * reproduces the held-out font scores IoU 1, one that draws the negative scores 0, the nearest-font baseline is
 * perfect when the held-out font copies a training font, and a planted style (the held-out font is a training font
 * moved 2 px right) is won by a model that infers the shift and lost by one that ignores it.
 */
import { describe, expect, it } from 'vitest'
import { EvalGenerator } from '../../sdk/eval/eval-generator.js'
import { styleTransfer, type TransferModel } from '../../sdk/eval/transfer.js'
import type { Dataset } from '../../sdk/data/types.js'
import { glyphModelBytes, realGlyphSet } from './real-glyphs.js'

const base = await realGlyphSet()
const S = base.size
const px = S * S
const itemOf = (ds: Dataset, source: string, cls: number): number => Array.from({ length: ds.count }, (_, i) => i).find((i) => ds.sources[ds.sourceIds[i]!]!.name === source && ds.classIds[i] === cls)!
const glyph = (ds: Dataset, source: string, cls: number): Uint8Array => ds.images.slice(itemOf(ds, source, cls) * px, (itemOf(ds, source, cls) + 1) * px)

function shifted(img: Uint8Array, dx: number): Uint8Array {
  const out = new Uint8Array(px)
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) if (x - dx >= 0 && x - dx < S) out[y * S + x] = img[y * S + x - dx]!
  return out
}

/** The dataset with the held-out font (lora-400) redrawn as `draw(class)`. */
function withHeldOut(draw: (cls: number) => Uint8Array): Dataset {
  const images = base.images.slice()
  for (let c = 0; c < base.classes.length; c++) images.set(draw(c), itemOf(base, 'lora-400', c) * px)
  return { ...base, images }
}

/** A style model over one training font's glyphs: z = the horizontal shift of the given glyph from its template. */
function shiftModel(template: string, o: { inferShift: boolean; invert?: boolean }): TransferModel {
  const centroid = (img: ArrayLike<number>): number => {
    let m = 0
    let w = 0
    for (let i = 0; i < px; i++) [m, w] = [m + (i % S) * img[i]!, w + img[i]!]
    return m / Math.max(1e-9, w)
  }
  return {
    encodeBatch: async (images, classIds) => ({ mu: Float32Array.of(o.inferShift ? Math.round(centroid(images) - centroid(glyph(base, template, classIds[0]!))) : 0), logvar: new Float32Array(1) }),
    decodeBatch: async (z, classIds, n) => {
      const out = new Float32Array(n * px)
      for (let k = 0; k < n; k++) {
        const img = shifted(glyph(base, template, classIds[k]!), z[k]!)
        for (let i = 0; i < px; i++) out[k * px + i] = o.invert ? 1 - img[i]! / 255 : img[i]! / 255
      }
      return out
    },
  }
}

const sources = { sourceClasses: ['A', 'a'] }

describe('style transfer metric, known answers', () => {
  it('identical fonts: the baseline and a model that reproduces the font both score IoU 1; the negative scores 0', async () => {
    const ds = withHeldOut((c) => glyph(base, 'lora-600', c))
    const copy = await styleTransfer(shiftModel('lora-600', { inferShift: true }), ds, sources)
    expect(copy).toEqual({ modelIou: 1, baselineIou: 1, winRate: 0, trials: 2, fonts: 1 })
    const negative = await styleTransfer(shiftModel('lora-600', { inferShift: true, invert: true }), ds, sources)
    expect(negative.modelIou).toBe(0)
    expect(negative.baselineIou).toBe(1)
  })

  it('a planted style (a training font moved 2 px right): inferring it beats the nearest-font baseline, ignoring it does not', async () => {
    const ds = withHeldOut((c) => shifted(glyph(base, 'lora-600', c), 2))
    const aware = await styleTransfer(shiftModel('lora-600', { inferShift: true }), ds, sources)
    const blind = await styleTransfer(shiftModel('lora-600', { inferShift: false }), ds, sources)
    expect(aware.modelIou).toBe(1)
    expect(aware.baselineIou).toBeLessThan(0.8)
    expect(aware.winRate).toBe(1)
    expect(blind.modelIou).toBeLessThanOrEqual(blind.baselineIou)
    expect(blind.winRate).toBe(0)
  })

  it('an untrained CVAE (real onnxruntime session) loses to the baseline on the real held-out font', async () => {
    const runner = await EvalGenerator.open(glyphModelBytes(base, 2))
    const r = await styleTransfer(runner, base, { sourceClasses: ['A', 'a', 'missing'] })
    await runner.dispose()
    expect(r.fonts).toBe(1)
    expect(r.trials).toBe(2)
    expect(r.baselineIou).toBeGreaterThan(0.4) // Lora 400's nearest training font is its own stroked 500
    expect(r.modelIou).toBeLessThan(r.baselineIou)
    expect(r.winRate).toBe(0)
  })
})
