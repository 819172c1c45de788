/** `--init` from a model with narrower decoder maps: the widened model draws the same at step 0, then its new channels learn. */
import { describe, expect, it } from 'vitest'
import { resolveSpec, type CvaeSpec } from '../../sdk/model/spec.js'
import { Rng } from '../../sdk/random.js'
import { fillBatch, fitSize } from '../../sdk/train/data.js'
import { buildEvalGraph, TRAIN_IO } from '../../sdk/train/graphs.js'
import { readMnist } from '../../sdk/train/mnist.js'
import { GraphRunner } from '../../sdk/train/session.js'
import { Trainer } from '../../sdk/train/trainer.js'
import { widenProblem } from '../../sdk/train/widen.js'

const train = fitSize(readMnist('train', { limit: 200 }), 16)
const narrow = resolveSpec('tiny', 10)
const wide: CvaeSpec = { ...narrow, decoder: { ...narrow.decoder, conv: [narrow.decoder.conv[0]!, narrow.decoder.conv[1]! + 5] } }

async function logits(spec: CvaeSpec, weights: Map<string, Float32Array>): Promise<Float32Array> {
  const g = buildEvalGraph(spec)
  const runner = await GraphRunner.open(g.model, { threads: 1 })
  const n = 12
  const batch = fillBatch(train, Int32Array.from({ length: n }, (_, i) => i), 'threshold', undefined)
  const feeds = Object.fromEntries(g.params.map((p) => [p.name, { data: weights.get(p.name)!, dims: p.shape }]))
  const out = await runner.run({ ...feeds, x: { data: batch.x, dims: [n, 1, 16, 16] }, class: { data: batch.onehot, dims: [n, 10] }, eps: { data: new Rng(3).normals(n * spec.latentSize), dims: [n, spec.latentSize] } }, [TRAIN_IO.logits])
  await runner.release()
  return out[TRAIN_IO.logits]!
}

describe('widening a trained model', () => {
  it('draws exactly what the narrow model drew, and its new channels take part after training', async () => {
    const t = await Trainer.create({ spec: narrow, seed: 2, batchSize: 20, steps: 30, lr: 3e-3, threads: 1 }, { train })
    await t.run()
    const w = t.weights()
    const t2 = await Trainer.create({ spec: wide, seed: 5, batchSize: 20, steps: 20, lr: 3e-3, threads: 1 }, { train }, { initWeights: w, initSpec: narrow })
    const w2 = t2.weights()
    expect(w2.get('dec/deconv0/W')!.length).toBeGreaterThan(w.get('dec/deconv0/W')!.length)
    const [a, b] = [await logits(narrow, w), await logits(wide, w2)]
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
    expect(worst).toBeLessThanOrEqual(1e-4)
    // the last layer's weights out of the 5 new channels start at zero and move once trained
    const rows = (m: Map<string, Float32Array>): Float32Array => { const W = m.get('dec/deconv1/W')!; const per = W.length / (narrow.decoder.conv[1]! + 5); return W.slice(narrow.decoder.conv[1]! * per) }
    expect(rows(w2).every((v) => v === 0)).toBe(true)
    await t2.run()
    expect(rows(t2.weights()).some((v) => Math.abs(v) > 1e-4)).toBe(true)
    await Promise.all([t.close(), t2.close()])
  }, 60_000)

  it('refuses a model whose other layers differ, or whose maps would shrink, naming the difference', async () => {
    expect(widenProblem(narrow, narrow)).toBeUndefined()
    expect(widenProblem(narrow, wide)).toBeUndefined()
    expect(widenProblem(narrow, { ...narrow, encoder: { ...narrow.encoder, hidden: 32 } })).toBe('only the decoder conv widths after the first may differ, but encoder differ')
    expect(widenProblem(narrow, { ...narrow, latentSize: 6, numClasses: 11 })).toMatch(/but latentSize, numClasses differ/)
    expect(widenProblem(narrow, { ...narrow, decoder: { ...narrow.decoder, conv: [16, 4] } })).toMatch(/but decoder\.conv \[8,4\] vs \[16,4\] \(layers or first width\) differ/)
    expect(widenProblem(wide, narrow)).toMatch(/decoder conv 1 would shrink \(9 → 4\)/)
    // a latent grid on the 8² map joins decoder conv 1's input: that map cannot grow
    const gridded: CvaeSpec = { ...narrow, latentSize: 4 + 64, spatialLatent: { channels: 1, side: 8 } }
    expect(widenProblem(gridded, { ...gridded, decoder: wide.decoder })).toBe('decoder conv 1 takes the latent grid (spatialLatent.side 8) and cannot grow (4 → 9)')
    const t = await Trainer.create({ spec: narrow, seed: 2, batchSize: 20, steps: 1, lr: 3e-3, threads: 1 }, { train })
    const w = t.weights()
    await expect(Trainer.create({ spec: narrow, seed: 2, batchSize: 20, steps: 1, threads: 1, lr: 1e-3 }, { train }, { initWeights: w, initSpec: wide })).rejects.toThrow(/--init model's spec cannot start this run: decoder conv 1 would shrink/)
    await t.close()
  }, 60_000)
})
