/** The whole evaluation runs end to end on a tiny model and a synthetic glyph dataset, and its numbers hang together. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluateModel } from '../../sdk/eval/evaluate-model.js'
import { cardMetrics, resultRows } from '../../sdk/eval/report.js'
import { withCard } from '../../sdk/eval/card-update.js'
import { parseModelFile } from '../../sdk/model/file.js'
import { tinyModelBytes } from '../helpers/models.js'
import { syntheticGlyphs } from './synthetic.js'

const dir = mkdtempSync(join(tmpdir(), 'latentype-eval-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('evaluateModel', () => {
  it('reports a learned classifier ceiling, consistent metrics and a weight direction; the card takes them', async () => {
    const ds = syntheticGlyphs()
    const model = tinyModelBytes(5)
    const r = await evaluateModel(model, ds, ds.images, { classifierPath: join(dir, 'clf.onnx'), perClass: 10, classifier: { epochs: 60, batchSize: 24, lr: 5e-3, shift: 0 } })
    expect(r.classifier.testAccuracy).toBeGreaterThanOrEqual(0.75) // 4 held-out glyphs, chance 0.25
    expect(r.consistency.relative).toBeCloseTo(r.consistency.accuracy / r.classifier.testAccuracy, 12)
    expect(r.latent.klPerDim).toHaveLength(4)
    expect(r.transfer?.baselineIou).toBe(1)
    const weight = r.directions.find((d) => d.name === 'weight')
    expect(weight?.count).toBe(24)
    expect(r.weightSweep?.samples).toBe(200)
    expect(r.novelty.nearCopyShare).toBeGreaterThanOrEqual(0)
    expect(resultRows(r).some((row) => row[0]!.startsWith('style transfer'))).toBe(true)
    const updated = withCard(model, (c) => ({ ...c, metrics: { ...c.metrics, ...cardMetrics(r) }, latentKl: r.latent.klPerDim }))
    expect(parseModelFile(updated).card.metrics.classifier_test_accuracy).toBeCloseTo(r.classifier.testAccuracy, 3)
  }, 30_000)

  it('refuses a dataset that does not match the model', async () => {
    const ds = { ...syntheticGlyphs(), size: 32 }
    await expect(evaluateModel(tinyModelBytes(), ds, ds.images, { classifierPath: join(dir, 'x.onnx') })).rejects.toThrow(/does not match the model/)
  })
})
