/** Style transfer metric: the nearest-training-font baseline and the model's decodes are compared on real masks. */
import { describe, expect, it } from 'vitest'
import { CvaeRunner } from '../../sdk/eval/cvae-runner.js'
import { styleTransfer } from '../../sdk/eval/transfer.js'
import { tinyModelBytes } from '../helpers/models.js'
import { syntheticGlyphs } from './synthetic.js'

describe('style transfer metric', () => {
  it('finds the identical training font as baseline (IoU 1) and scores the model on the held-out font', async () => {
    const ds = syntheticGlyphs()
    const runner = await CvaeRunner.fromBytes(tinyModelBytes(2))
    const r = await styleTransfer(runner, ds, { sourceClasses: ['heart', 'A', 'missing'] })
    await runner.release()
    expect(r.fonts).toBe(1)
    expect(r.trials).toBe(2)
    expect(r.baselineIou).toBe(1)
    // an untrained decoder cannot match the held-out font's glyphs
    expect(r.modelIou).toBeGreaterThanOrEqual(0)
    expect(r.modelIou).toBeLessThan(0.9)
    expect(r.winRate).toBe(0)
  })
})
