/**
 * npm run fit-prior -- --model runs/<name>/model.onnx --data <dataset.ltds> --out models/<kind>.onnx
 *
 * Encodes the training split, fits the class-conditional Gaussian prior to the posteriors (sdk/model/prior.ts) and
 * writes the model file with the prior baked in: the same weights, a latent whose N(0, I) samples land where the
 * data is. A file that already has a fitted prior is fitted again from its own weights (the old prior dropped).
 * With --accept q, each mixture component's weight is then scaled by the share of its 16 test draws (decoded at
 * the card's temperature) whose flaw score (specks, then edge softness) is at most the q-quantile of all the class's test draws
 * (sdk/model/prior.ts acceptanceWeights). The card records the fit; the rest of the card is kept.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { EvalGenerator } from '../sdk/eval/eval-generator.js'
import { fromWeights } from '../sdk/graph/layers.js'
import { buildModelFile } from '../sdk/model/file.js'
import { acceptanceWeights, fitPrior, priorWeights, PRIOR_WEIGHTS } from '../sdk/model/prior.js'
import { drawFlaws } from '../sdk/image/softness.js'
import { Rng } from '../sdk/random.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { readModelWeights } from '../sdk/train/model-weights.js'
import { loadData } from './train/load-data.js'

const HELP = `usage: npm run fit-prior -- --model <model.onnx (a fitted prior in it is replaced)> --data <dataset.ltds> --out <model.onnx>
  --components 8   mixture components per class (k-means on the posterior means; 0 = one Gaussian per class)
  --seed 1         seeds the k-means
  --temperature T  the default sampling temperature stored in the card (Generator.sample without one; the plugin's start)
  --accept q       reweight components by the share of their 16 test draws no more flawed (specks, then edge
                   softness) than the q-quantile (0..1) of all the class's test draws — 0.5: the cleaner half; mixtures only`

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, components: { type: 'string', default: '8' }, temperature: { type: 'string' }, seed: { type: 'string', default: '1' }, accept: { type: 'string' }, help: { type: 'boolean', default: false } } })
  const components = Number(a.components)
  if (!Number.isInteger(components) || components < 0 || components > 64) throw new LatentypeError('BAD_ARGUMENT', `--components must be a whole number from 0 (one Gaussian per class) to 64 (got "${a.components}")`)
  const accept = a.accept === undefined ? undefined : Number(a.accept)
  if (accept !== undefined && !(accept > 0 && accept <= 1)) throw new LatentypeError('BAD_ARGUMENT', `--accept must be a quantile in (0, 1], e.g. 0.5 (got "${a.accept}")`)
  if (accept !== undefined && components === 0) throw new LatentypeError('BAD_ARGUMENT', '--accept reweights mixture components: pass --components 2 or more with it')
  const temperature = a.temperature === undefined ? undefined : Number(a.temperature)
  if (temperature !== undefined && !(temperature > 0 && temperature <= 2)) throw new LatentypeError('BAD_ARGUMENT', `--temperature must be a number in (0, 2] (got "${a.temperature}")`)
  if (a.help || !a.model || !a.data || !a.out) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  for (const [flag, path] of [['--model', a.model], ['--data', a.data]] as const) {
    if (!existsSync(path)) throw new LatentypeError('FILE_NOT_FOUND', `${flag} ${path} does not exist — pass an existing file`)
  }
  const { card: fileCard, weights } = readModelWeights(new Uint8Array(readFileSync(a.model)), a.model)
  // a file with a fitted prior: the same weights without it (the encoder then returns the posterior in z units)
  for (const name of Object.values(PRIOR_WEIGHTS)) weights.delete(name)
  const { prior: _old, sampling: _sampling, checksum: _ck, ...card } = fileCard
  const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, ...rest } = card
  const bytes = fileCard.prior ? buildModelFile(rest, fromWeights(weights)) : new Uint8Array(readFileSync(a.model))
  const data = await loadData(a.data, card.imageSize)
  const set = data.train
  if (set.classes.length !== card.classes.length) throw new LatentypeError('BAD_DATASET', `${a.data} has ${set.classes.length} classes but the model ${card.classes.length} — pass the dataset the model was trained on`)
  const S = card.imageSize
  const images = new Float32Array(set.count * S * S)
  for (let i = 0; i < images.length; i++) images[i] = set.pixels[i]! / 255
  const runner = await EvalGenerator.open(bytes, { source: a.model, threads: 1 }) // one thread: the same sums, so the same fit, on every machine
  const started = performance.now()
  const { mu, logvar } = await runner.encodeBatch(images, set.labels, set.count)
  await runner.dispose()
  const prior = fitPrior(mu, logvar, set.labels, set.count, card.classes.length, card.latentSize, { components, seed: Number(a.seed) })
  let accepted: number | undefined
  if (accept !== undefined && prior.mixWeights) {
    const draws = 16
    const rates = await acceptanceRates(bytes, prior, card.classes.length, temperature ?? 1, accept, draws, Number(a.seed))
    accepted = rates.before
    prior.mixWeights = acceptanceWeights(prior.mixWeights, rates.perComponent, card.classes.length, draws)
    console.log(`acceptance (draws no more flawed than the ${accept}-quantile of the class's test draws): ${(rates.before * 100).toFixed(1)} % → ${(rates.after(prior.mixWeights) * 100).toFixed(1)} % with the reweighted components`)
  }
  for (const [k, v] of priorWeights(prior)) weights.set(k, v)
  // the card's command reproduces the shipped file: training, then this fit
  const command = `npm run fit-prior -- --model ${a.model} --data ${a.data} --out ${a.out} --components ${components} --seed ${a.seed}${temperature === undefined ? '' : ` --temperature ${temperature}`}${accept === undefined ? '' : ` --accept ${accept}`}`
  if (rest.training) rest.training = { ...rest.training, command: rest.training.command ? `${rest.training.command} && ${command}` : command }
  const out = buildModelFile({ ...rest, prior: { type: 'class-gaussian', fittedOn: `${data.name} train split`, items: set.count, components, ...(accept === undefined ? {} : { accept, acceptedBefore: Number(accepted?.toFixed(4)) }) }, ...(temperature === undefined ? {} : { sampling: { temperature } }) }, fromWeights(weights))
  await writeFileAtomic(a.out, out)
  console.log(`fitted ${components ? `a ${components}-component mixture per class` : 'N(m_c, Σ)'} to ${set.count} training posteriors (${((performance.now() - started) / 1000).toFixed(1)} s) → ${a.out} (${(out.length / 1e6).toFixed(2)} MB)`)
}

/**
 * Per component, the share of its `draws` decoded draws (o_ck + t·ε, as `sample` draws them) whose flaw score
 * (specks, then edge softness: sdk/image/softness.ts drawFlaws) is at most the `q`-quantile of all the test draws
 * of its class (q 0.5: the cleaner half, what the plugin's grid keeps of two draws); and the overall rate, before
 * and after reweighting.
 */
async function acceptanceRates(bytes: Uint8Array, prior: ReturnType<typeof fitPrior>, classes: number, t: number, q: number, draws: number, seed: number): Promise<{ perComponent: Float32Array; before: number; after: (w: Float32Array) => number }> {
  const K = classes
  const M = prior.components
  const L = prior.mean.length / K
  // latents in z units: the prior's change of coordinates applied here, on a file without it
  const rng = new Rng(seed)
  const z = new Float32Array(K * M * draws * L)
  const ids = new Int32Array(K * M * draws)
  const u = new Float32Array(L)
  for (let c = 0; c < K; c++) for (let k = 0; k < M; k++) for (let d = 0; d < draws; d++) {
    const i = (c * M + k) * draws + d
    const e = rng.normals(L, t)
    for (let j = 0; j < L; j++) u[j] = e[j]! + prior.mixOffsets![(c * M + k) * L + j]!
    for (let j = 0; j < L; j++) {
      let v = prior.mean[c * L + j]!
      for (let r = 0; r < L; r++) v += u[r]! * prior.cholT[r * L + j]!
      z[i * L + j] = v
    }
    ids[i] = c
  }
  const runner = await EvalGenerator.open(bytes, { threads: 1 })
  const S = runner.card.imageSize
  const images = await runner.decodeBatch(z, ids, ids.length)
  await runner.dispose()
  const soft = Array.from({ length: ids.length }, (_, i) => drawFlaws({ width: S, height: S, data: images.subarray(i * S * S, (i + 1) * S * S) }))
  const perComponent = new Float32Array(K * M)
  for (let c = 0; c < K; c++) {
    const mine = soft.slice(c * M * draws, (c + 1) * M * draws)
    const limit = [...mine].sort((a, b) => a - b)[Math.floor(q * (mine.length - 1))]!
    mine.forEach((s, i) => {
      if (s <= limit) perComponent[c * M + Math.floor(i / draws)]! += 1 / draws
    })
  }
  const rate = (w: Float32Array): number => perComponent.reduce((sum, a, ck) => sum + a * w[ck]!, 0) / K
  return { perComponent, before: rate(prior.mixWeights!), after: rate }
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error: ${e.message}` : e)
  process.exitCode = isInputError(e) ? 2 : 1
})
