/**
 * npm run reexport -- --model <old.onnx> --out <new.onnx> [--data <dataset.ltds>] [--weight-format float16/int8]
 *
 * Writes a model file again with this SDK's graphs: the same weights (float16 storage kept), the same card, and
 * the parts a newer SDK adds (the refinement graph `Generator.fit` runs). With --data, a glyph model's card also
 * gets `framing` (where each class's ink sits in the training images: how `frameDrawing` places a selected glyph).
 * With --weight-format, the weights are stored in that format instead of the file's own (float16/int8: the encoder
 * in int8, sdk/onnx/int8.ts). The card's command records the step.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { fromWeights } from '../sdk/graph/layers.js'
import { buildModelFile, type CardInput } from '../sdk/model/file.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { readModelWeights } from '../sdk/train/model-weights.js'
import { measureFraming } from '../sdk/image/frame.js'
import { loadData } from './train/load-data.js'

const HELP = 'usage: npm run reexport -- --model <model.onnx> --out <model.onnx> [--data <dataset.ltds> (glyph models: measure framing)] [--weight-format float32|float16|float16/int8]   (model and out may be the same file)'
const FORMATS = ['float32', 'float16', 'float16/int8'] as const

async function main(): Promise<void> {
  const { values: a } = parseArgs({ options: { model: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' }, 'weight-format': { type: 'string' }, help: { type: 'boolean', default: false } } })
  if (a.help || !a.model || !a.out) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  const format = a['weight-format']
  if (format !== undefined && !FORMATS.includes(format as (typeof FORMATS)[number])) throw new LatentypeError('BAD_ARGUMENT', `--weight-format must be one of ${FORMATS.join(', ')} (got "${format}")`)
  if (!existsSync(a.model)) throw new LatentypeError('FILE_NOT_FOUND', `--model ${a.model} does not exist — pass an existing model file`)
  const { card, weights } = readModelWeights(new Uint8Array(readFileSync(a.model)), a.model)
  const { format: _f, formatVersion: _v, imageSize: _s, channels: _c, latentSize: _l, sdkVersion: _sdk, checksum: _ck, ...rest } = card
  const command = `npm run reexport -- --model ${a.model} --out ${a.out}${a.data ? ` --data ${a.data}` : ''}${format ? ` --weight-format ${format}` : ''}`
  if (format) rest.weightFormat = format as (typeof FORMATS)[number]
  let input: CardInput = rest.training ? { ...rest, training: { ...rest.training, command: rest.training.command ? `${rest.training.command} && ${command}` : command } } : rest
  if (a.data) {
    if (card.kind !== 'glyphs') throw new LatentypeError('BAD_ARGUMENT', `--data measures a glyph model's framing; ${a.model} is a ${card.kind} model, whose drawings are scaled to fill the box — drop --data`)
    if (!existsSync(a.data)) throw new LatentypeError('FILE_NOT_FOUND', `--data ${a.data} does not exist — build it with the command in its card`)
    const { train } = await loadData(a.data, card.imageSize)
    if (train.classes.length !== card.classes.length) throw new LatentypeError('BAD_DATASET', `${a.data} has ${train.classes.length} classes but the model ${card.classes.length} — pass the dataset the model was trained on`)
    input = { ...input, framing: measureFraming(train.pixels, train.labels, train.count, card.imageSize, card.classes.length) }
  }
  const out = buildModelFile(input, fromWeights(weights))
  await writeFileAtomic(a.out, out)
  console.log(`re-exported ${a.model} → ${a.out} (${(out.length / 1e6).toFixed(2)} MB, with the refinement graph${input.framing ? ' and the framing of each class' : ''})`)
}

main().catch((e: unknown) => {
  console.error(e instanceof LatentypeError ? `error: ${e.message}` : e)
  process.exitCode = isInputError(e) ? 2 : 1
})
