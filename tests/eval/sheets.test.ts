/**
 * Sheets beside the sample sheets: the traced-vector sheet draws the same samples as the sample sheet through the
 * shipped tracer (same rows, different pixels), and the worst-samples sheet has one row per class of the picked
 * samples.
 */
import { describe, expect, it } from 'vitest'
import { EvalGenerator } from '../../sdk/eval/eval-generator.js'
import { classSampleSheets, worstSampleSheets } from '../../sdk/eval/latent.js'
import { decodePng } from '../../sdk/image/png-decode.js'
import { tinyModelBytes } from '../helpers/models.js'

describe('evaluation sheets', () => {
  it('traced sheet: same rows as the sample sheet, pixels differ; worst sheet: one row per class', async () => {
    const runner = await EvalGenerator.open(tinyModelBytes(3))
    const [plain] = await classSampleSheets(runner, { seed: 2 })
    const [traced] = await classSampleSheets(runner, { seed: 2, traced: true })
    const a = decodePng(plain!)
    const b = decodePng(traced!)
    expect(b.height).toBe(a.height) // same rows (the title, and so the width, differs)
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).not.toBe(0)
    const worst = runner.card.classes.map((c) => ({ label: c.label, samples: [4, 0, 2], scores: [0.1, 0.2, 0.3] }))
    const sheets = await worstSampleSheets(runner, worst, { seed: 2, per: 5 })
    expect(sheets).toHaveLength(1)
    // other picks of the same size give a sheet of the same layout with other pixels
    const again = decodePng((await worstSampleSheets(runner, worst.map((w) => ({ ...w, samples: [1, 3, 0] })), { seed: 2, per: 5 }))[0]!)
    const first = decodePng(sheets[0]!)
    expect([again.width, again.height]).toEqual([first.width, first.height])
    expect(Buffer.compare(Buffer.from(again.data), Buffer.from(first.data))).not.toBe(0)
    await runner.dispose()
  }, 60_000)
})
