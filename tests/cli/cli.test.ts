import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../sdk/cli/main.js'
import { decodePng } from '../../sdk/image/png.js'
import { tinyModelBytes } from '../helpers/models.js'

const run = async (args: string[]): Promise<{ code: number; out: string }> => {
  const lines: string[] = []
  const code = await main(args, (s) => lines.push(s))
  return { code, out: lines.join('\n') }
}

describe('latentype CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-cli-'))
  const model = join(dir, 'tiny.onnx')
  writeFileSync(model, tinyModelBytes())

  it('generate writes n SVG + n PNG + sheet.png, identically on a second run', async () => {
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    expect((await run(['generate', '--model', model, '--class', 'heart', '-n', '4', '--seed', '1', '--out', a])).code).toBe(0)
    expect((await run(['generate', '--model', model, '--class', 'heart', '-n', '4', '--seed', '1', '--out', b])).code).toBe(0)
    const files = readdirSync(a).sort()
    expect(files).toEqual(['heart-1-00.png', 'heart-1-00.svg', 'heart-1-01.png', 'heart-1-01.svg', 'heart-1-02.png', 'heart-1-02.svg', 'heart-1-03.png', 'heart-1-03.svg', 'sheet.png'])
    for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true)
    const svg = readFileSync(join(a, 'heart-1-00.svg'), 'utf8')
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 16 16"/)
    expect(decodePng(readFileSync(join(a, 'heart-1-00.png'))).width).toBe(16)
  })

  it('--latent decodes an explicit vector', async () => {
    const out = join(dir, 'lat')
    expect((await run(['generate', '--model', model, '--class', 'bell', '--latent', '0,0.5,-1,2', '--out', out])).code).toBe(0)
    expect(readdirSync(out).filter((f) => f.endsWith('.svg'))).toHaveLength(1)
  })

  it.each([
    [['generate', '--model', model, '--class', 'hart'], /did you mean "heart"/],
    [['generate', '--model', join(dir, 'missing.onnx'), '--class', 'heart'], /not found/],
    [['generate', '--model', model, '--class', 'heart', '-n', '0'], /count 0/],
    [['generate', '--model', model, '--class', 'heart', '-n', '99999999'], /more than/],
    [['generate', '--model', model, '--class', 'heart', '--latent', '1,2'], /latent size is 4/],
    [['generate', '--model', model, '--class', 'heart', '--latent', '1,NaN,0,0'], /NaN/],
    [['generate', '--model', model, '--class', 'heart', '--seed', 'x'], /not an integer/],
    [['generate', '--model', model], /--class is required/],
    [['frobnicate'], /unknown command/],
  ])('bad input %j → exit 2, a clear message, nothing written', async (args, message) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`)
    const errors: string[] = []
    const orig = console.error
    console.error = (s: string) => errors.push(s)
    try {
      const argv = args[0] === 'generate' ? [...args, '--out', out] : args
      expect((await run(argv)).code).toBe(2)
    } finally {
      console.error = orig
    }
    expect(errors.join('\n')).toMatch(message)
    expect(existsSync(out)).toBe(false)
  })

  it('info prints the card', async () => {
    const r = await run(['info', model])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/test-tiny — other, 16×16, latent 4, 4 classes/)
    const j = await run(['info', model, '--json'])
    expect(JSON.parse(j.out).classes).toHaveLength(4)
  })
})
