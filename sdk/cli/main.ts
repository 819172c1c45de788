/**
 * The `latentype` command.
 *   latentype generate --model <name|path> --class <label> [-n 8] [--seed 0] [--temperature 1] [--latent v1,v2,…] [--out out/]
 *   latentype info <model> [--json]
 * Exit codes: 0 ok, 2 bad input (message names the fix), 1 internal error.
 */
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../errors.js'
import { generateCommand } from './generate.js'
import { infoCommand } from './info.js'

const USAGE = `usage:
  latentype generate --model <name|path> --class <label> [-n 8] [--seed 0] [--temperature 1] [--latent v1,v2,…] [--out out/]
  latentype info <model> [--json]`

export async function main(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  try {
    const [command, ...rest] = argv
    if (command === 'generate') {
      const { values } = parseArgs({
        args: rest,
        options: {
          model: { type: 'string' }, class: { type: 'string', short: 'c' }, n: { type: 'string', short: 'n' }, seed: { type: 'string' },
          temperature: { type: 'string' }, latent: { type: 'string', multiple: true }, out: { type: 'string', short: 'o' },
        },
      })
      await generateCommand(values, log)
    } else if (command === 'info') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, model: { type: 'string' } } })
      const model = values.model ?? positionals[0]
      if (!model) throw new LatentypeError('BAD_ARGUMENT', 'info needs a model: `latentype info models/glyphs.onnx`')
      await infoCommand(model, values.json ?? false, log)
    } else if (command === undefined || command === '--help' || command === 'help') {
      log(USAGE)
      return command === undefined ? 2 : 0
    } else throw new LatentypeError('BAD_ARGUMENT', `unknown command "${command}"\n${USAGE}`)
    return 0
  } catch (e) {
    const err = e as Error & { code?: string }
    if (isInputError(e) || err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      console.error(`latentype: ${err.message}`)
      return 2
    }
    console.error(`latentype: internal error: ${err.stack ?? err.message}`)
    return 1
  }
}
