/**
 * The CLI as the README shows it, beyond generate/info basics: help, an unknown flag, `--temperature` (with a
 * known answer: 0 is the prior mean), every `--latent` form, a model by name, exit code 1 for an internal error,
 * and the executable itself (bin/latentype.js, as `npx latentype` runs it in a clone).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../../sdk/cli/main.js'
import { tinyModelBytes } from '../helpers/models.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Runs the CLI in-process: exit code, normal output, and what went to console.error. */
async function run(args: string[], log?: (s: string) => void): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = []
  const errors: string[] = []
  const orig = console.error
  console.error = (s: string) => errors.push(s)
  try {
    const code = await main(args, log ?? ((s) => lines.push(s)))
    return { code, out: lines.join('\n'), err: errors.join('\n') }
  } finally {
    console.error = orig
  }
}

const bytesOf = (dir: string, file: string): Buffer => readFileSync(join(dir, file))

describe('latentype CLI paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-cli-paths-'))
  const model = join(dir, 'tiny.onnx')
  writeFileSync(model, tinyModelBytes())
  const gen = (out: string, ...flags: string[]) => run(['generate', '--model', model, '--class', 'bell', '--out', join(dir, out), ...flags])

  it('help, --help, -h and generate --help print the usage (exit 0); no command prints it as an error (exit 2)', async () => {
    for (const args of [['help'], ['--help'], ['-h'], ['generate', '--help'], ['info', '-h']]) {
      const r = await run(args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.out, args.join(' ')).toMatch(/^usage:\n {2}latentype generate --model <name\|path> --class <label>/)
    }
    const none = await run([])
    expect(none.code).toBe(2)
    expect(none.out).toMatch(/^usage:/)
  })

  it('an unknown flag → exit 2 naming the flag, nothing written', async () => {
    const r = await gen('unknown-flag', '--colour', 'red')
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^latentype: .*'--colour'/)
    expect(existsSync(join(dir, 'unknown-flag'))).toBe(false)
  })

  it('--temperature: 0 draws the prior mean (every seed the same, equal to --latent 0,0,0,0); 1 varies with the seed', async () => {
    for (const [out, flags] of [
      ['t0-s1', ['--temperature', '0', '--seed', '1', '-n', '1']],
      ['t0-s2', ['--temperature', '0', '--seed', '2', '-n', '1']],
      ['t1-s1', ['--temperature', '1', '--seed', '1', '-n', '1']],
      ['t1-s2', ['--temperature=1', '--seed', '2', '-n', '1']],
      ['zero', ['--latent', '0,0,0,0']],
    ] as const) {
      const r = await gen(out, ...flags)
      expect(r.code, `${out}: ${r.err}`).toBe(0)
    }
    expect(bytesOf(join(dir, 't0-s1'), 'bell-1-00.png').equals(bytesOf(join(dir, 't0-s2'), 'bell-2-00.png'))).toBe(true)
    expect(bytesOf(join(dir, 't0-s1'), 'bell-1-00.png').equals(bytesOf(join(dir, 'zero'), 'bell-0-00.png'))).toBe(true)
    expect(bytesOf(join(dir, 't1-s1'), 'bell-1-00.png').equals(bytesOf(join(dir, 't1-s2'), 'bell-2-00.png'))).toBe(false)
  }, 60_000)

  it('--latent forms: "a,b,c,d", "a b c d", a JSON array and --latent= decode alike; the flag twice gives two variants', async () => {
    const forms = [['--latent', '0.5,-1,0.25,2'], ['--latent', '0.5 -1 0.25 2'], ['--latent', '[0.5, -1, 0.25, 2]'], ['--latent=0.5,-1,0.25,2']]
    for (const [i, flags] of forms.entries()) expect((await gen(`form-${i}`, ...flags)).code, flags.join(' ')).toBe(0)
    for (let i = 1; i < forms.length; i++) expect(bytesOf(join(dir, `form-${i}`), 'bell-0-00.png').equals(bytesOf(join(dir, 'form-0'), 'bell-0-00.png')), forms[i]!.join(' ')).toBe(true)
    const two = await gen('two', '--latent', '0.5,-1,0.25,2', '--latent', '-2,0,1,0')
    expect(two.code).toBe(0)
    expect(readdirSync(join(dir, 'two')).filter((f) => f.endsWith('.svg'))).toEqual(['bell-0-00.svg', 'bell-0-01.svg'])
    expect(bytesOf(join(dir, 'two'), 'bell-0-00.png').equals(bytesOf(join(dir, 'form-0'), 'bell-0-00.png'))).toBe(true)
    expect(bytesOf(join(dir, 'two'), 'bell-0-01.png').equals(bytesOf(join(dir, 'form-0'), 'bell-0-00.png'))).toBe(false)
  }, 60_000)

  it('--model glyphs loads the shipped glyph model by name', async () => {
    const out = join(dir, 'by-name')
    const r = await run(['generate', '--model', 'glyphs', '--class', 'A', '-n', '2', '--seed', '1', '--out', out])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/^model glyphs \(onnxruntime-node\/\w+\) · class "A" · 2 variant\(s\) · seed 1/)
    expect(readdirSync(out).sort()).toEqual(['A-1-00.png', 'A-1-00.svg', 'A-1-01.png', 'A-1-01.svg', 'sheet.png'])
  }, 60_000)

  it('an internal error (here: the output stream fails) → exit 1, "internal error" with the cause', async () => {
    const r = await run(['--version'], () => {
      throw new Error('stdout is gone')
    })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^latentype: internal error: Error: stdout is gone/)
  })

  it('bin/latentype.js: exit codes reach the shell (0 help, 2 unknown flag, 2 no command)', () => {
    const bin = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/latentype.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
    const help = bin('help')
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toMatch(/^usage:/)
    const flag = bin('generate', '--model', model, '--class', 'heart', '--bogus')
    expect(flag.status).toBe(2)
    expect(flag.stderr).toMatch(/^latentype: .*'--bogus'/)
    expect(flag.stderr).not.toMatch(/ {4}at /)
    expect(bin().status).toBe(2)
  }, 120_000)
})
