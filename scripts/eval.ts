/**
 * npm run eval -- --model <model.onnx> --data <dataset.ltds> [--write-card]   full evaluation
 * npm run eval -- --model <model.onnx> --data <mnist|file.ltds> --likelihood [--split test] [--iwae 1000 --limit 500]
 *
 * The full evaluation judges with an independent classifier (committed beside the dataset card, retrained there when
 * the dataset differs) and reports class consistency, test ELBO, diversity, novelty, style transfer, active units
 * and semantic directions, and what a designer sees: crispness, traced vectors, precision/recall, reconstruction
 * fidelity vs true outlines (every test item by default).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseModelFile } from '../sdk/model/file.js'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { fullEval } from './eval/full.js'
import { likelihoodEval } from './eval/likelihood.js'
import { styleMatchEval } from './eval/style-match.js'

const HELP = `usage: npm run eval -- --model <model.onnx> [--data <dataset.ltds>, default: the card's training dataset] [--write-card] [--readme models/README.md]
         [--classifier <path>] [--per-class 100] [--seed 1] [--threads N] [--fidelity-items N (default: all test items)] [--trace-per-class 32]
       npm run eval -- --model <model.onnx> --data <mnist|file.ltds> --likelihood [--split test|val] [--iwae k] [--limit n]
       npm run eval -- --model <model.onnx> --data <dataset.ltds> --style-match [--refs A,n,o,g] [--steps 30] [--lr 0.1] [--max-sources n] [--sheet out.png] [--frame dataset|card|fill]`

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string', default: 'test' }, iwae: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string', default: '1' },
      threads: { type: 'string' }, likelihood: { type: 'boolean', default: false }, 'write-card': { type: 'boolean', default: false }, readme: { type: 'string', default: 'models/README.md' },
      classifier: { type: 'string' }, 'per-class': { type: 'string', default: '100' }, help: { type: 'boolean', default: false },
      'fidelity-items': { type: 'string' }, 'trace-per-class': { type: 'string' },
      'style-match': { type: 'boolean', default: false }, refs: { type: 'string' }, steps: { type: 'string' }, lr: { type: 'string' }, 'max-sources': { type: 'string' }, sheet: { type: 'string' }, frame: { type: 'string' },
    },
  })
  if (a.model && !a.help && !existsSync(a.model)) throw new LatentypeError('FILE_NOT_FOUND', `no model file at ${a.model} — pass --model models/glyphs.onnx or models/icons.onnx, or a runs/<name>/model.onnx`)
  // without --data, the dataset the model was trained on (recorded in its card)
  if (a.model && !a.data) a.data = parseModelFile(new Uint8Array(readFileSync(a.model)), a.model).card.training?.dataset
  if (a.help || !a.model || !a.data) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  if (a.data !== 'mnist' && !existsSync(a.data)) throw new LatentypeError('FILE_NOT_FOUND', `the dataset ${a.data} is not on this machine (datasets are built, not committed) — build it first: ${datasetBuildCommand(a.data)}`)
  if (a['style-match']) await styleMatchEval({ ...a, model: a.model, data: a.data })
  else if (a.likelihood || a.iwae || a.data === 'mnist') await likelihoodEval({ ...a, model: a.model, data: a.data, split: a.split!, seed: a.seed! })
  else await fullEval({ ...a, model: a.model, data: a.data, seed: a.seed!, readme: a.readme!, 'write-card': a['write-card']!, 'per-class': a['per-class']! })
}

/** The command that builds a dataset, from the card committed beside it (data/<kind>/card.json), else the README's. */
function datasetBuildCommand(data: string): string {
  const card = join(dirname(data), 'card.json')
  if (existsSync(card)) {
    const c = JSON.parse(readFileSync(card, 'utf8')) as { command?: string; sha256?: string }
    if (c.command) return `\`${c.command}\`${c.sha256 ? ` (rebuilds byte-identically: SHA-256 ${c.sha256.slice(0, 16)}…)` : ''}`
  }
  return '`npm run data -- glyphs --fonts 300 --out data/glyphs` or `npm run data -- icons --classes 128 --out data/icons`'
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error (${e.code}): ${e.message}` : (e as Error).stack)
  process.exitCode = isInputError(e) ? 2 : 1
})
