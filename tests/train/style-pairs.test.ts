import { describe, expect, it } from 'vitest'
import { fillGridMask, groupMembers, pairTargets, type ImageSet } from '../../sdk/train/data.js'
import { Trainer } from '../../sdk/train/trainer.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { LatentypeError } from '../../sdk/errors.js'
import { Rng } from '../../sdk/random.js'
import { barSet } from '../helpers/bar-set.js'

// 3 "fonts" (groups) × 4 classes × 2 copies, 16×16; group g draws class k as a 2-row bar at row 3k, 2 + 3g long
const toySet = (): ImageSet => barSet({ top: 0, height: 2, left: 2, right: 4 })

describe('style pairs', () => {
  const set = toySet()
  const members = groupMembers(set)
  const idx = Int32Array.from({ length: set.count }, (_, i) => i)

  it('share 0 keeps every item; share 1 pairs each item with another class of its own group', () => {
    expect(Array.from(pairTargets(set, idx, 0, new Rng(1), members))).toEqual(Array.from(idx))
    const t = pairTargets(set, idx, 1, new Rng(1), members)
    let moved = 0
    t.forEach((j, i) => {
      expect(set.groups![j]).toBe(set.groups![i])
      if (j !== i) {
        moved++
        expect(set.labels[j]).not.toBe(set.labels[i])
      }
    })
    expect(moved).toBeGreaterThan(set.count * 0.9)
  })

  it('items without groups are never paired, and training without groups refuses stylePairs', async () => {
    const plain = { ...set, groups: undefined }
    expect(Array.from(pairTargets(plain, idx, 1, new Rng(1), new Map()))).toEqual(Array.from(idx))
    const spec = resolveSpec('tiny', 4)
    await expect(Trainer.create({ spec, seed: 1, batchSize: 8, steps: 2, lr: 1e-3, stylePairs: 0.5 }, { train: plain })).rejects.toThrow(LatentypeError)
  })

  it('trains with style pairs: loss falls', async () => {
    const spec = resolveSpec('tiny', 4)
    const t = await Trainer.create({ spec, seed: 1, batchSize: 8, steps: 120, lr: 3e-3, binarize: 'none', stylePairs: 0.5, threads: 1 }, { train: set })
    const first = (await t.run({ stopAfter: 5 })).final.loss
    const last = (await t.run()).final.loss
    expect(last).toBeLessThan(first * 0.7)
    await t.close()
  }, 180_000)

  it('a spatial latent: the grid part of z is zeroed exactly on the items that draw another item', () => {
    const mask = new Float32Array(3 * 5).fill(7)
    fillGridMask(mask, [4, 9, 2], [4, 11, 2], 2, 5)
    expect(Array.from(mask)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1])
  })

  it('trains with style pairs and a spatial latent: loss falls', async () => {
    const spec = resolveSpec({ ...resolveSpec('tiny', 4), latentSize: 4 + 16, spatialLatent: { channels: 1 } }, 4)
    const t = await Trainer.create({ spec, seed: 1, batchSize: 8, steps: 120, lr: 3e-3, binarize: 'none', stylePairs: 0.5, threads: 1 }, { train: set })
    const first = (await t.run({ stopAfter: 5 })).final.loss
    const last = (await t.run()).final.loss
    expect(last).toBeLessThan(first * 0.7)
    await t.close()
  }, 180_000)
})
