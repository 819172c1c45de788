/**
 * The whole evaluation end to end on an untrained tiny model and a small real glyph set (Roboto and Lora fixtures,
 * tests/eval/real-glyphs.ts): its numbers hang together and say what an untrained decoder is — grey washes, no
 * near-copies, reconstructions far from the true outlines — and the card takes them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluateModel } from '../../sdk/eval/evaluate-model.js'
import { novelty } from '../../sdk/eval/diversity.js'
import { cardMetrics, resultRows } from '../../sdk/eval/report.js'
import { withCard } from '../../sdk/eval/card-update.js'
import { parseModelFile } from '../../sdk/model/file.js'
import { trueOutlines } from '../../scripts/eval/true-outline.js'
import { glyphModelBytes, realGlyphBytes, realGlyphSet } from './real-glyphs.js'

const dir = mkdtempSync(join(tmpdir(), 'latentype-eval-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fontDir = (id: string): string => new URL(`../fixtures/fonts/${id}`, import.meta.url).pathname
const classifier = { epochs: 60, batchSize: 16, lr: 5e-3, shift: 0 }

describe('evaluateModel on a real glyph set', () => {
  it('reports a learned classifier ceiling, the designer measures of an untrained decoder and a weight direction; the card takes them', async () => {
    const ds = await realGlyphSet()
    const model = glyphModelBytes(ds, 5)
    const r = await evaluateModel(model, ds, await realGlyphBytes(), { classifierPath: join(dir, 'clf.onnx'), perClass: 10, classifier, outlines: (items) => trueOutlines(ds, items, { fontDir }) })
    expect(r.classifier.testAccuracy).toBeGreaterThanOrEqual(0.75) // Lora 400's 4 glyphs, chance 0.25
    expect(r.consistency.relative).toBeCloseTo(r.consistency.accuracy / r.classifier.testAccuracy, 12)
    expect(r.latent.klPerDim).toHaveLength(4)
    expect(r.transfer?.trials).toBe(2) // the held-out font × the classes A and a
    expect(r.transfer!.modelIou).toBeLessThan(r.transfer!.baselineIou)
    expect(r.directions.find((d) => d.name === 'weight')?.count).toBe(32) // 8 training styles × 4 glyphs
    // an untrained decoder draws grey washes, never a near-copy of a training glyph
    expect(r.novelty.nearCopyShare).toBe(0)
    expect(r.novelty.meanNearestIou).toBeLessThan(0.5)
    // the held-out font's real glyphs lie much closer to the training fonts' glyphs: the measure's real baseline
    expect(r.noveltyReal.meanNearestIou).toBeGreaterThan(0.5)
    expect(r.designer.crispness.generated).toBeGreaterThan(0.95)
    expect(r.designer.crispness.real).toBeLessThan(0.9) // 16² strokes are thin: most of their ink is grey rim
    expect(r.designer.crispness.ratio).toBeCloseTo(r.designer.crispness.generated / r.designer.crispness.real, 12)
    expect(r.designer.crispness.entropyGenerated).toBeGreaterThan(r.designer.crispness.entropyReal)
    expect(r.designer.vectors).toMatchObject({ perClass: 10, realCount: 4 })
    expect(r.designer.vectors.topology.classes).toBe(4)
    expect(r.designer.precisionRecall).toMatchObject({ real: 4, generated: 4 })
    expect(r.designer.worst.map((w) => w.samples.length)).toEqual([8, 8, 8, 8])
    expect(r.designer.worst[0]!.scores).toEqual([...r.designer.worst[0]!.scores].sort((a, b) => a - b))
    if (!('iou' in r.fidelity)) throw new Error(r.fidelity.skipped)
    expect(r.fidelity.count).toBe(4)
    expect(r.fidelity.tracer.iou).toBeGreaterThan(0.4) // Lora's hairlines at 16² trace poorly; the untrained decoder does worse
    expect(r.fidelity.iou).toBeLessThan(r.fidelity.tracer.iou)
    expect(Object.keys(r.fidelity.groups)).toEqual(['upright'])
    const rows = resultRows(r)
    expect(rows.find((row) => row[0]!.startsWith('crispness: grey share'))?.[1]).toBe(`${(r.designer.crispness.generated * 100).toFixed(1)} % / ${(r.designer.crispness.real * 100).toFixed(1)} % (×${r.designer.crispness.ratio.toFixed(2)})`)
    expect(rows.some((row) => row[0]!.startsWith('reconstruction IoU@64'))).toBe(true)
    const updated = withCard(model, (c) => ({ ...c, metrics: { ...c.metrics, ...cardMetrics(r) }, latentKl: r.latent.klPerDim }))
    const metrics = parseModelFile(updated).card.metrics
    expect(metrics.classifier_test_accuracy).toBeCloseTo(r.classifier.testAccuracy, 3)
    expect(metrics.grey_share_ratio).toBeCloseTo(r.designer.crispness.ratio, 3)
    expect(metrics.fidelity_iou256_upright).toBeCloseTo(r.fidelity.iou, 3)
  }, 120_000)

  it('skips fidelity with the reason when the true outlines are missing', async () => {
    const ds = await realGlyphSet()
    const r = await evaluateModel(glyphModelBytes(ds, 5), ds, await realGlyphBytes(), { classifierPath: join(dir, 'clf.onnx'), perClass: 10, classifier, outlines: (items) => trueOutlines(ds, items, { fontDir: () => '/nowhere' }) })
    expect(r.fidelity).toEqual({ skipped: expect.stringMatching(/npm install --prefix scripts\/data/) })
    expect(resultRows(r).find((row) => row[0]!.startsWith('reconstruction fidelity'))?.[1]).toMatch(/^skipped: /)
  }, 120_000)

  it('novelty counts a training glyph as a near-copy and a moved one as new', async () => {
    const ds = await realGlyphSet()
    const px = ds.size * ds.size
    const gen = Float32Array.from(ds.images.subarray(0, px), (v) => v / 255)
    expect(novelty(gen, [ds.classIds[0]!], ds.images, ds.classIds, px).nearCopyShare).toBe(1)
    const moved = new Float32Array(px)
    for (let i = 0; i < px - 3; i++) moved[i + 3] = gen[i]!
    expect(novelty(moved, [ds.classIds[0]!], ds.images, ds.classIds, px).nearCopyShare).toBe(0)
  })

  it('refuses a dataset that does not match the model', async () => {
    const ds = await realGlyphSet()
    await expect(evaluateModel(glyphModelBytes(ds), { ...ds, size: 32 }, ds.images, { classifierPath: join(dir, 'x.onnx') })).rejects.toThrow(/does not match the model/)
  })
})
