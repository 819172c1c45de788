/**
 * Style transfer on held-out fonts: encode one glyph of a test-split font, decode every other class with that
 * latent, and compare with the font's real glyphs (mask IoU). Baseline: the training font whose same glyph is
 * nearest (highest IoU) to the given one, its other glyphs. Both are averaged over the classes the held-out font
 * and the baseline font share.
 */
import { SPLITS, type Dataset } from '../data/types.js'
import { maskIou, packMasks, packedIou } from './masks.js'
import type { Generator } from '../generate/generator.js'

export interface TransferResult {
  /** Mean mask IoU of the transferred glyphs against the held-out font's glyphs. */
  modelIou: number
  /** The same for the nearest training font's glyphs. */
  baselineIou: number
  /** Share of (font, source glyph) trials where the model beats the baseline. */
  winRate: number
  trials: number
  fonts: number
}

/** Item index by class for every source of one split. */
function fontsOf(ds: Dataset, split: 'train' | 'test'): Map<number, Map<number, number>> {
  const code = SPLITS.indexOf(split)
  const fonts = new Map<number, Map<number, number>>()
  for (let i = 0; i < ds.count; i++) {
    if (ds.splitCodes[i] !== code) continue
    const src = ds.sourceIds[i]!
    let m = fonts.get(src)
    if (!m) fonts.set(src, (m = new Map()))
    m.set(ds.classIds[i]!, i)
  }
  return fonts
}

/** What style transfer needs of a model: encode one glyph, decode latents as other classes (a Generator's flat batches). */
export type TransferModel = Pick<Generator, 'encodeBatch' | 'decodeBatch'>

export async function styleTransfer(runner: TransferModel, ds: Dataset, o: { sourceClasses: string[]; minClasses?: number; maxFonts?: number }): Promise<TransferResult> {
  const S = ds.size
  const px = S * S
  const all = packMasks(ds.images, ds.count, px)
  const train = [...fontsOf(ds, 'train').values()]
  const held = [...fontsOf(ds, 'test').values()].filter((f) => f.size >= (o.minClasses ?? Math.ceil(ds.classes.length * 0.9))).slice(0, o.maxFonts ?? Infinity)
  const sourceIds = o.sourceClasses.map((label) => ds.classes.findIndex((c) => c.label === label)).filter((id) => id >= 0)
  let model = 0
  let base = 0
  let wins = 0
  let trials = 0
  for (const font of held) {
    for (const src of sourceIds) {
      const item = font.get(src)
      if (item === undefined) continue
      // the nearest training font by this one glyph
      let nearest: Map<number, number> | undefined
      let bestIou = -1
      for (const t of train) {
        const j = t.get(src)
        if (j === undefined) continue
        const v = packedIou(all, item, all, j)
        if (v > bestIou) [bestIou, nearest] = [v, t]
      }
      if (!nearest) continue
      const targets = [...font.keys()].filter((c) => c !== src && nearest!.has(c))
      if (targets.length === 0) continue
      const x = Float32Array.from(ds.images.subarray(item * px, (item + 1) * px), (v) => v / 255)
      const { mu } = await runner.encodeBatch(x, [src], 1)
      const z = new Float32Array(targets.length * mu.length)
      for (let k = 0; k < targets.length; k++) z.set(mu, k * mu.length)
      const decoded = await runner.decodeBatch(z, targets, targets.length)
      let m = 0
      let b = 0
      targets.forEach((c, k) => {
        const real = font.get(c)!
        const realImg = Float32Array.from(ds.images.subarray(real * px, (real + 1) * px), (v) => v / 255)
        m += maskIou(decoded.subarray(k * px, (k + 1) * px), realImg)
        b += packedIou(all, nearest!.get(c)!, all, real)
      })
      m /= targets.length
      b /= targets.length
      model += m
      base += b
      if (m > b) wins++
      trials++
    }
  }
  return { modelIou: model / Math.max(1, trials), baselineIou: base / Math.max(1, trials), winRate: wins / Math.max(1, trials), trials, fonts: held.length }
}
