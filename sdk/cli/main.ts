/**
 * The `latentype` command.
 *   latentype generate --model <name|path> --class <label> [-n 8] [--seed 0] [--temperature 1] [--latent v1,v2,…] [--out out/]
 *   latentype info <model> [--json]
 *   latentype --version
 * Exit codes: 0 ok, 2 bad input or a file-system problem (the message names the fix), 1 internal error.
 */
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../errors.js'
import { describeFsError } from '../node/fs-errors.js'
import { SDK_VERSION } from '../version.js'
import { joinNegativeValues } from './args.js'
import { generateCommand } from './generate.js'
import { infoCommand } from './info.js'

const USAGE = `usage:
  latentype generate --model <name|path> --class <label> [-n 8] [--seed 0] [--temperature 1] [--latent v1,v2,…] [--out out/]
  latentype info <model> [--json]
  latentype --version
Negative numbers work with or without "=": --temperature 0.5 --latent -1,0.5,… --seed -3.
Exit codes: 0 ok, 2 bad input or a file-system problem (the message says what to do), 1 internal error.`

const GENERATE_OPTIONS = {
  model: { type: 'string' }, class: { type: 'string', short: 'c' }, n: { type: 'string', short: 'n' }, seed: { type: 'string' },
  temperature: { type: 'string' }, latent: { type: 'string', multiple: true }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' },
} as const
const INFO_OPTIONS = { json: { type: 'boolean' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const

/** Option name → short name, for the options that take a value. */
const valued = (opts: Record<string, { type: string; short?: string }>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(opts).filter(([, o]) => o.type === 'string').map(([k, o]) => [k, o.short]))

const PARSE_ERRORS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'])

/** Runs one command; returns the exit code. `log` receives the normal output, errors go to console.error. */
export async function main(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  try {
    const [command, ...rest] = argv
    if (command === 'generate') {
      const { values } = parseArgs({ args: joinNegativeValues(rest, valued(GENERATE_OPTIONS)), options: GENERATE_OPTIONS })
      if (values.help) log(USAGE)
      else await generateCommand(values, log)
    } else if (command === 'info') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: INFO_OPTIONS })
      const model = values.model ?? positionals[0]
      if (values.help) log(USAGE)
      else if (!model) throw new LatentypeError('BAD_ARGUMENT', 'info needs a model: `latentype info models/glyphs.onnx`')
      else await infoCommand(model, values.json ?? false, log)
    } else if (command === '--version' || command === '-v' || command === 'version') {
      log(SDK_VERSION)
    } else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      log(USAGE)
      return command === undefined ? 2 : 0
    } else throw new LatentypeError('BAD_ARGUMENT', `unknown command "${command}"\n${USAGE}`)
    return 0
  } catch (e) {
    const err = e as Error & { code?: string }
    if (isInputError(e) || PARSE_ERRORS.has(err.code ?? '')) {
      console.error(`latentype: ${err.message}`)
      return 2
    }
    const fs = describeFsError(e)
    if (fs) {
      console.error(`latentype: ${fs}`)
      return 2
    }
    console.error(`latentype: internal error: ${err.stack ?? err.message}`)
    return 1
  }
}

/**
 * The executable's entry (bin/latentype.js): {@link main} on the process, quiet when stdout closes early
 * (`latentype info --json | head` ends with EPIPE, which is not an error).
 */
export async function cli(argv: string[]): Promise<number> {
  process.stdout.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
  return main(argv)
}
