/** The evaluation classifier learns real digits with our engine, and its cache is keyed by dataset checksum. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Classifier, CLASSIFIER_KEY, loadOrTrainClassifier, toCoverage } from '../../sdk/eval/classifier.js'
import { buildClassifierModel } from '../../sdk/eval/classifier-graph.js'
import { fromWeights } from '../../sdk/graph/layers.js'
import { decodeModel } from '../../sdk/onnx/model-proto.js'
import { fitSize } from '../../sdk/train/data.js'
import { readMnist } from '../../sdk/train/mnist.js'

const train = fitSize(readMnist('train', { limit: 800 }), 32)
const test = fitSize(readMnist('test', { limit: 300 }), 32)
const dir = mkdtempSync(join(tmpdir(), 'latentype-clf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('evaluation classifier', () => {
  it('beats chance (10 %) by a wide margin on held-out MNIST digits, and predicts what it measured', async () => {
    const path = join(dir, 'classifier.onnx')
    const { classifier, cached } = await loadOrTrainClassifier(path, 'sha-a', train, test, { epochs: 4, batchSize: 32 })
    expect(cached).toBe(false)
    expect(classifier.meta.testAccuracy).toBeGreaterThan(0.7)
    const pred = await classifier.predict(toCoverage(test), test.count)
    const acc = pred.reduce((a, p, i) => a + (p === test.labels[i] ? 1 : 0), 0) / test.count
    expect(acc).toBeCloseTo(classifier.meta.testAccuracy, 6)
    // probabilities: rows sum to 1 and peak at the predicted class
    const x = toCoverage(test).subarray(0, 20 * 32 * 32)
    const probs = await classifier.probabilities(x, 20)
    for (let i = 0; i < 20; i++) {
      const row = Array.from(probs.subarray(i * 10, (i + 1) * 10))
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      expect(row.indexOf(Math.max(...row))).toBe(pred[i])
    }
    // a cache written before the features output existed (logits only) opens with the same penultimate features
    const model = decodeModel(new Uint8Array(readFileSync(path)))
    const weights = new Map(model.graph.initializers.map((t) => [t.name, new Float32Array(t.rawData!.slice().buffer)]))
    const old = buildClassifierModel(classifier.meta.spec, fromWeights(weights), { [CLASSIFIER_KEY]: model.metadata[CLASSIFIER_KEY]! })
    expect(decodeModel(old).graph.outputs.map((o) => o.name)).toEqual(['logits'])
    const reopened = await Classifier.fromBytes(old)
    const features = await classifier.features(x, 20)
    expect(features).toHaveLength(20 * classifier.meta.spec.hidden)
    expect(await reopened.features(x, 20)).toEqual(features)
    await Promise.all([classifier.release(), reopened.release()])
  }, 180_000)

  it('reuses the cache for the same dataset checksum and retrains for another', async () => {
    const path = join(dir, 'classifier.onnx')
    const before = statSync(path).mtimeMs
    const again = await loadOrTrainClassifier(path, 'sha-a', train, test, { epochs: 1, batchSize: 32 })
    expect(again.cached).toBe(true)
    expect(statSync(path).mtimeMs).toBe(before)
    await again.classifier.release()
    const other = await loadOrTrainClassifier(path, 'sha-b', train, test, { epochs: 1, batchSize: 32 })
    expect(other.cached).toBe(false)
    expect(other.classifier.meta.datasetSha256).toBe('sha-b')
    await other.classifier.release()
  }, 180_000)
})
