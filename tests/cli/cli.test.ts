import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../sdk/cli/main.js'
import { CARD_KEY } from '../../sdk/model/card.js'
import { decodeModel, encodeModel } from '../../sdk/onnx/model-proto.js'
import { decodePng } from '../../sdk/image/png.js'
import { SDK_VERSION } from '../../sdk/version.js'
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
  }, 60_000)

  it('--latent decodes an explicit vector', async () => {
    const out = join(dir, 'lat')
    expect((await run(['generate', '--model', model, '--class', 'bell', '--latent', '0,0.5,-1,2', '--out', out])).code).toBe(0)
    expect(readdirSync(out).filter((f) => f.endsWith('.svg'))).toHaveLength(1)
  }, 60_000)

  it.each([
    [['generate', '--model', model, '--class', 'hart'], /did you mean "heart"/],
    [['generate', '--model', join(dir, 'missing.onnx'), '--class', 'heart'], /not found/],
    [['generate', '--model', model, '--class', 'heart', '-n', '0'], /n = 0 is invalid/],
    [['generate', '--model', model, '--class', 'heart', '-n', '99999999'], /more than/],
    [['generate', '--model', model, '--class', 'heart', '--latent', '1,2'], /latent size is 4/],
    [['generate', '--model', model, '--class', 'heart', '--latent', '1,NaN,0,0'], /NaN/],
    [['generate', '--model', model, '--class', 'heart', '--seed', 'x'], /not an integer/],
    [['generate', '--model', model], /--class is required/],
    [['frobnicate'], /unknown command/],
    [['generate', '--model', model, '--class', 'heart', '--temperature', ''], /--temperature needs a value \(got an empty string\)/],
    [['generate', '--model', model, '--class', 'heart', '--seed', ''], /--seed needs a value/],
    [['generate', '--model', model, '--class', 'heart', '-n', ' '], /-n needs a value/],
    [['generate', '--model', model, '--class', ''], /--class needs a value/],
    [['generate', '--model', '', '--class', 'heart'], /--model needs a value/],
    [['generate', '--model', model, '--class', 'heart', '--latent', ''], /--latent is empty/],
    [['generate', '--model', model, '--class', 'heart', '--temperature', '-1'], /temperature -1 is out of range/],
    [['generate', '--model', dir, '--class', 'heart'], /is a folder — give the \.onnx file inside it/],
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
  }, 60_000)

  it('negative numbers work without "="; --version prints the SDK version', async () => {
    const a = join(dir, 'neg-a')
    const b = join(dir, 'neg-b')
    expect((await run(['generate', '--model', model, '--class', 'heart', '--latent', '-1,0.5,-0.25,2', '--seed', '-3', '--out', a])).code).toBe(0)
    expect((await run(['generate', '--model', model, '--class', 'heart', '--latent=-1,0.5,-0.25,2', '--seed=-3', '--out', b])).code).toBe(0)
    expect(readdirSync(a)).toEqual(readdirSync(b))
    expect(readdirSync(a)).toContain('heart--3-00.svg')
    expect(readFileSync(join(a, 'heart--3-00.png')).equals(readFileSync(join(b, 'heart--3-00.png')))).toBe(true)
    const v = await run(['--version'])
    expect(v).toEqual({ code: 0, out: SDK_VERSION })
  }, 60_000)

  it('info prints the card, attributions one per line', async () => {
    const r = await run(['info', model])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/test-tiny — other, 16×16, latent 4, 4 classes/)
    expect(r.out).toMatch(/\nattribution \(1\):\n  test · license MIT\n/)
    const j = await run(['info', model, '--json'])
    expect(JSON.parse(j.out).classes).toHaveLength(4)
  }, 60_000)

  it('a model onnxruntime refuses or a damaged one is bad input (exit 2) with a plain message', async () => {
    const m = decodeModel(tinyModelBytes())
    m.graph.nodes.find((n) => n.opType === 'Gemm')!.opType = 'NoSuchOp'
    const card = JSON.parse(m.metadata[CARD_KEY]!) as Record<string, unknown>
    delete card.checksum // as a file exported before checksums: onnxruntime is the one that refuses it
    m.metadata[CARD_KEY] = JSON.stringify(card)
    const refused = join(dir, 'refused.onnx')
    writeFileSync(refused, encodeModel(m))
    const damaged = join(dir, 'damaged.onnx')
    const bytes = tinyModelBytes()
    bytes[Math.floor(bytes.length / 2)]! ^= 4
    writeFileSync(damaged, bytes)
    for (const [file, message] of [[refused, /could not open the model: .*NoSuchOp/], [damaged, /damaged\.onnx is damaged/]] as const) {
      const errors: string[] = []
      const orig = console.error
      console.error = (s: string) => errors.push(s)
      try {
        expect((await run(['generate', '--model', file, '--class', 'heart', '--out', join(dir, 'never')])).code).toBe(2)
      } finally {
        console.error = orig
      }
      expect(errors.join('\n')).toMatch(message)
      expect(errors.join('\n')).not.toMatch(/onnxruntime_src|\.cc:\d+|internal error|    at /)
    }
    expect(existsSync(join(dir, 'never'))).toBe(false)
  }, 60_000)
})
