/**
 * npm run fit-prior -- --model runs/<name>/model.onnx --data <dataset.ltds> --out models/<kind>.onnx
 *
 * Encodes the training split, fits the class-conditional Gaussian prior to the posteriors (sdk/model/prior.ts) and
 * writes the model file with the prior baked in: the same weights, a latent whose N(0, I) samples land where the
 * data is. The card records the fit; the rest of the card is kept.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { EvalGenerator } from '../sdk/eval/eval-generator.js'
import { fromWeights } from '../sdk/graph/layers.js'
import { buildModelFile } from '../sdk/model/file.js'
import { fitPrior, priorWeights } from '../sdk/model/prior.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { readModelWeights } from '../sdk/train/model-weights.js'
import { loadData } from './train/load-data.js'

const HELP = `usage: npm run fit-prior -- --model <model.onnx without a fitted prior> --data <dataset.ltds> --out <model.onnx>
  --components 8   mixture components per class (k-means on the posterior means; 0 = one Gaussian per class)
  --seed 1         seeds the k-means
  --temperature T  the default sampling temperature stored in the card (Generator.sample without one; the plugin's start)`

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, components: { type: 'string', default: '8' }, temperature: { type: 'string' }, seed: { type: 'string', default: '1' }, help: { type: 'boolean', default: false } } })
  const components = Number(a.components)
  if (!Number.isInteger(components) || components < 0 || components > 64) throw new LatentypeError('BAD_ARGUMENT', `--components must be a whole number from 0 (one Gaussian per class) to 64 (got "${a.components}")`)
  if (a.help || !a.model || !a.data || !a.out) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  for (const [flag, path] of [['--model', a.model], ['--data', a.data]] as const) {
    if (!existsSync(path)) throw new LatentypeError('FILE_NOT_FOUND', `${flag} ${path} does not exist — pass an existing file`)
  }
  const bytes = new Uint8Array(readFileSync(a.model))
  const { card, weights } = readModelWeights(bytes, a.model)
  if (card.prior) throw new LatentypeError('BAD_ARGUMENT', `${a.model} already has a fitted prior — fit on the model the training run exported (runs/<name>/model.onnx)`)
  const data = await loadData(a.data, card.imageSize)
  const set = data.train
  if (set.classes.length !== card.classes.length) throw new LatentypeError('BAD_DATASET', `${a.data} has ${set.classes.length} classes but the model ${card.classes.length} — pass the dataset the model was trained on`)
  const S = card.imageSize
  const images = new Float32Array(set.count * S * S)
  for (let i = 0; i < images.length; i++) images[i] = set.pixels[i]! / 255
  const runner = await EvalGenerator.open(bytes, { source: a.model })
  const started = performance.now()
  const { mu, logvar } = await runner.encodeBatch(images, set.labels, set.count)
  await runner.dispose()
  const prior = fitPrior(mu, logvar, set.labels, set.count, card.classes.length, card.latentSize, { components, seed: Number(a.seed) })
  for (const [k, v] of priorWeights(prior)) weights.set(k, v)
  const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, ...rest } = card
  // the card's command reproduces the shipped file: training, then this fit
  const temperature = a.temperature === undefined ? undefined : Number(a.temperature)
  if (temperature !== undefined && !(temperature > 0 && temperature <= 2)) throw new LatentypeError('BAD_ARGUMENT', `--temperature must be a number in (0, 2] (got "${a.temperature}")`)
  const command = `npm run fit-prior -- --model ${a.model} --data ${a.data} --out ${a.out} --components ${components} --seed ${a.seed}${temperature === undefined ? '' : ` --temperature ${temperature}`}`
  if (rest.training) rest.training = { ...rest.training, command: rest.training.command ? `${rest.training.command} && ${command}` : command }
  const out = buildModelFile({ ...rest, prior: { type: 'class-gaussian', fittedOn: `${data.name} train split`, items: set.count, components }, ...(temperature === undefined ? {} : { sampling: { temperature } }) }, fromWeights(weights))
  await writeFileAtomic(a.out, out)
  console.log(`fitted ${components ? `a ${components}-component mixture per class` : 'N(m_c, Σ)'} to ${set.count} training posteriors (${((performance.now() - started) / 1000).toFixed(1)} s) → ${a.out} (${(out.length / 1e6).toFixed(2)} MB)`)
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error: ${e.message}` : e)
  process.exitCode = isInputError(e) ? 2 : 1
})
