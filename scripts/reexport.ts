/**
 * npm run reexport -- --model <old.onnx> --out <new.onnx>
 *
 * Writes a model file again with this SDK's graphs: the same weights (float16 storage kept), the same card, and
 * the parts a newer SDK adds (the refinement graph `Generator.fit` runs). The card's command records the step.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { fromWeights } from '../sdk/graph/layers.js'
import { buildModelFile, type CardInput } from '../sdk/model/file.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { readModelWeights } from '../sdk/train/model-weights.js'

const HELP = 'usage: npm run reexport -- --model <model.onnx> --out <model.onnx>   (the two may be the same file)'

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { model: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', default: false } } })
  if (a.help || !a.model || !a.out) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  if (!existsSync(a.model)) throw new LatentypeError('FILE_NOT_FOUND', `--model ${a.model} does not exist — pass an existing model file`)
  const { card, weights } = readModelWeights(new Uint8Array(readFileSync(a.model)), a.model)
  const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, checksum: _ck, ...rest } = card
  const command = `npm run reexport -- --model ${a.model} --out ${a.out}`
  const input: CardInput = rest.training ? { ...rest, training: { ...rest.training, command: rest.training.command ? `${rest.training.command} && ${command}` : command } } : rest
  const out = buildModelFile(input, fromWeights(weights))
  await writeFileAtomic(a.out, out)
  console.log(`re-exported ${a.model} → ${a.out} (${(out.length / 1e6).toFixed(2)} MB, with the refinement graph)`)
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error: ${e.message}` : e)
  process.exitCode = isInputError(e) ? 2 : 1
})
