/**
 * The style-from-references evaluation: its slant and weight measures on shapes with known answers, and the whole
 * evaluation on a small real glyph set (Roboto and Lora fixtures) with a real model, where a held-out font that
 * copies a training font gives the baseline IoU 1.
 */
import { describe, expect, it } from 'vitest'
import { Generator } from '../../sdk/index.js'
import type { Dataset } from '../../sdk/data/types.js'
import { inkStyle, styleMatch, styleMatchTable } from '../../sdk/eval/style-match.js'
import { glyphModelBytes, realGlyphSet } from './real-glyphs.js'

/** A bar `w` px wide, rows 10..49 of a 64² image, leaning `lean` px right per px up. */
function bar(w: number, lean: number): Float32Array {
  const S = 64
  const d = new Float32Array(S * S)
  for (let y = 10; y < 50; y++) {
    const x0 = Math.round(20 + lean * (49 - y))
    for (let x = x0; x < x0 + w; x++) d[y * S + x] = 1
  }
  return d
}

describe('style match evaluation', () => {
  it('inkStyle: an upright bar has no slant, a leaning bar its lean; a wider bar more weight', () => {
    expect(Math.abs(inkStyle(bar(6, 0), 64).slant)).toBeLessThan(1e-9)
    expect(inkStyle(bar(6, 0.25), 64).slant).toBeCloseTo(0.25, 1)
    expect(inkStyle(bar(6, -0.2), 64).slant).toBeCloseTo(-0.2, 1)
    const thin = inkStyle(bar(3, 0), 64).weight
    const thick = inkStyle(bar(9, 0), 64).weight
    expect(thick / thin).toBeGreaterThan(2.2)
    expect(inkStyle(new Float32Array(64 * 64), 64)).toEqual({ slant: 0, weight: 0 })
  })

  it('runs every variant on held-out fonts; a held-out font copying a training font makes the baseline exact', async () => {
    const base = await realGlyphSet()
    const px = base.size * base.size
    const item = (source: string, cls: number): number => Array.from({ length: base.count }, (_, i) => i).find((i) => base.sources[base.sourceIds[i]!]!.name === source && base.classIds[i] === cls)!
    const images = base.images.slice()
    for (let c = 0; c < base.classes.length; c++) images.set(base.images.subarray(item('roboto-500', c) * px, (item('roboto-500', c) + 1) * px), item('lora-400', c) * px)
    const ds: Dataset = { ...base, images }
    const gen = await Generator.load(glyphModelBytes(ds, 3))
    const r = await styleMatch(gen, ds, { references: ['A', 'a'], steps: 5, minTargets: 2 })
    expect(r.sources).toBe(1)
    expect(r.italicSources).toBe(0)
    expect(r.targets).toBe(2)
    expect(r.variants.baseline.iou).toBe(1)
    for (const v of ['one', 'many', 'refined'] as const) {
      expect(r.variants[v].iou).toBeGreaterThanOrEqual(0)
      expect(r.variants[v].iou).toBeLessThan(1)
      expect(r.variants[v].winRate).toBe(0)
    }
    expect(styleMatchTable(r, 'glyphs')).toMatch(/\| nearest training font \(same 2 references\) \| 1\.000 \|/)
    await gen.dispose()
  })
})
