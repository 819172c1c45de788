/** A trained model exported with buildModelFile runs in onnxruntime-web (wasm) exactly like the training graph. */
import { describe, expect, it } from 'vitest'
import { IO } from '../../sdk/model/cvae.js'
import { parseModelFile, splitModel } from '../../sdk/model/file.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { Rng } from '../../sdk/random.js'
import { webBackend } from '../../sdk/runtime/web.js'
import { fillBatch, fitSize } from '../../sdk/train/data.js'
import { buildEvalGraph, TRAIN_IO } from '../../sdk/train/graphs.js'
import { readMnist } from '../../sdk/train/mnist.js'
import { GraphRunner } from '../../sdk/train/session.js'
import { Trainer } from '../../sdk/train/trainer.js'

describe('export', () => {
  it('decoder through onnxruntime-web reproduces the training graph forward to ≤ 1e-5', async () => {
    const train = fitSize(readMnist('train', { limit: 200 }), 16)
    const spec = resolveSpec('tiny', 10)
    const t = await Trainer.create({ spec, seed: 2, batchSize: 20, steps: 60, lr: 3e-3, threads: 1 }, { train })
    await t.run()
    const bytes = t.exportModel({ name: 'tiny-mnist', kind: 'other', attribution: [{ source: 'mnist', license: 'CC-BY-SA-3.0' }] })
    const { card, model } = parseModelFile(bytes)
    expect(card.metrics.steps).toBe(60)
    // the training-side forward: the eval graph (same builders as the step graph) gives z and logits
    const evalGraph = buildEvalGraph(spec)
    const runner = await GraphRunner.open(evalGraph.model, { threads: 1 })
    const n = 16
    const batch = fillBatch(train, Int32Array.from({ length: n }, (_, i) => i), 'threshold', undefined)
    const weights = t.weights()
    const feeds = Object.fromEntries(evalGraph.params.map((p) => [p.name, { data: weights.get(p.name)!, dims: p.shape }]))
    const out = await runner.run({ ...feeds, x: { data: batch.x, dims: [n, 1, 16, 16] }, class: { data: batch.onehot, dims: [n, 10] }, eps: { data: new Rng(1).normals(n * spec.latentSize), dims: [n, spec.latentSize] } }, [TRAIN_IO.z, TRAIN_IO.logits])
    const decoder = await webBackend().createSession(splitModel(model).decoder)
    const web = await decoder.run({ [IO.decoder.z]: { data: out[TRAIN_IO.z]!, dims: [n, spec.latentSize] }, [IO.decoder.class]: { data: batch.onehot, dims: [n, 10] } }, [IO.decoder.image])
    const img = web[IO.decoder.image]!.data
    const logits = out[TRAIN_IO.logits]!
    let worst = 0
    for (let i = 0; i < img.length; i++) worst = Math.max(worst, Math.abs(img[i]! - 1 / (1 + Math.exp(-logits[i]!))))
    console.log(`max |web − training forward| = ${worst.toExponential(2)} over ${img.length} pixels`)
    expect(worst).toBeLessThanOrEqual(1e-5)
    await Promise.all([runner.release(), decoder.release(), t.close()])
  }, 60_000)
})
