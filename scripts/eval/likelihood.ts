/** `npm run eval -- --model X --data <mnist|file.ltds> --iwae k`: test −ELBO and importance-weighted −log p(x|c), −log p(x). */
import { readFileSync } from 'node:fs'
import { buildEvalGraph } from '../../sdk/train/graphs.js'
import { evaluateElbo, evaluateIwae } from '../../sdk/train/evaluate.js'
import { subset } from '../../sdk/train/data.js'
import { readModelWeights } from '../../sdk/train/model-weights.js'
import { GraphRunner, type Feeds } from '../../sdk/train/session.js'
import { loadData } from '../train/load-data.js'
import { isFieldModel } from '../../sdk/model/likelihood.js'

export async function likelihoodEval(a: { model: string; data: string; split: string; iwae?: string; limit?: string; seed: string; threads?: string }): Promise<void> {
  const { card, weights } = readModelWeights(new Uint8Array(readFileSync(a.model)), a.model)
  const data = await loadData(a.data, card.imageSize)
  let set = a.split === 'val' ? data.val : data.test
  if (a.limit) set = subset(set, Int32Array.from({ length: Math.min(Number(a.limit), set.count) }, (_, i) => i))
  const built = buildEvalGraph(card.spec)
  const runner = await GraphRunner.open(built.model, { threads: a.threads ? Number(a.threads) : undefined })
  const feeds: Feeds = Object.fromEntries(built.params.map((p) => [p.name, { data: weights.get(p.name)!, dims: p.shape }]))
  const m = { runner, weights: feeds, imageSize: card.imageSize, latentSize: card.latentSize, field: isFieldModel(card.spec) }
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
