/**
 * npm run eval -- --model runs/<name>/model.onnx --data <mnist|dataset.ltds> [--split test] [--iwae 1000 --limit 500]
 *
 * Reports the test −ELBO (nats per image) and, with --iwae k, importance-weighted −log p(x|c) and −log p(x).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { buildEvalGraph } from '../sdk/train/graphs.js'
import { evaluateElbo, evaluateIwae } from '../sdk/train/evaluate.js'
import { subset } from '../sdk/train/data.js'
import { readModelWeights } from '../sdk/train/model-weights.js'
import { GraphRunner, type Feeds } from '../sdk/train/session.js'
import { loadData } from './train/load-data.js'

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string', default: 'test' }, iwae: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string', default: '1' }, threads: { type: 'string' } } })
  if (!a.model || !a.data) {
    console.log('usage: npm run eval -- --model <model.onnx> --data <mnist|file.ltds> [--split test|val] [--iwae k] [--limit n]')
    process.exitCode = 2
    return
  }
  const { card, weights } = readModelWeights(new Uint8Array(readFileSync(a.model)), a.model)
  const data = await loadData(a.data, card.imageSize)
  let set = a.split === 'val' ? data.val : data.test
  if (a.limit) set = subset(set, Int32Array.from({ length: Math.min(Number(a.limit), set.count) }, (_, i) => i))
  const built = buildEvalGraph(card.spec)
  const runner = await GraphRunner.open(built.model, { threads: a.threads ? Number(a.threads) : undefined })
  const feeds: Feeds = Object.fromEntries(built.params.map((p) => [p.name, { data: weights.get(p.name)!, dims: p.shape }]))
  const m = { runner, weights: feeds, imageSize: card.imageSize, latentSize: card.latentSize }
  const seed = Number(a.seed)
  const elbo = await evaluateElbo(m, set, { binarize: 'dynamic', seed })
  const result: Record<string, number> = { count: set.count, nelbo: elbo.nelbo, rec: elbo.rec, kl: elbo.kl }
  if (a.iwae) {
    const t0 = Date.now()
    const iw = await evaluateIwae(m, set, { k: Number(a.iwae), binarize: 'dynamic', seed, onProgress: (d) => d % 50 === 0 && process.stderr.write(`\riwae ${d}/${set.count} (${((Date.now() - t0) / 1000).toFixed(0)} s)`) })
    process.stderr.write('\n')
    Object.assign(result, { iwae_k: iw.k, nll_x_given_c: iw.nllConditional, nll_x: iw.nllMarginal })
  }
  await runner.release()
  console.log(JSON.stringify({ model: a.model, data: a.data, split: a.split, ...result }))
  console.log(`${a.split} −ELBO ${elbo.nelbo.toFixed(2)} nats (rec ${elbo.rec.toFixed(2)}, KL ${elbo.kl.toFixed(2)}) on ${set.count} images${a.iwae ? `; IWAE k=${a.iwae}: −log p(x|c) ${result.nll_x_given_c!.toFixed(2)}, −log p(x) ${result.nll_x!.toFixed(2)} nats` : ''}`)
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error (${e.code}): ${e.message}` : (e as Error).stack)
  process.exitCode = isInputError(e) ? 2 : 1
})
