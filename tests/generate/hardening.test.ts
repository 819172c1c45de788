/** Messages say the right thing, and nothing escapes as a raw TypeError or onnxruntime error. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator, LatentypeError, createBitmap, type Backend, type Session } from '../../sdk/index.js'
import { nodeBackend } from '../../sdk/runtime/node.js'
import { splitModel, parseModelFile } from '../../sdk/model/file.js'
import { tinyModelBytes } from '../helpers/models.js'

/** The LatentypeError a call throws (sync or async), or a description of what it did instead. */
async function caught(f: () => unknown): Promise<LatentypeError> {
  try {
    await f()
  } catch (e) {
    if (e instanceof LatentypeError) return e
    throw new Error(`not a LatentypeError: ${String(e)}`)
  }
  throw new Error('did not throw')
}

describe('Generator input hardening', () => {
  let gen: Generator
  const bytes = tinyModelBytes()
  beforeAll(async () => {
    gen = await Generator.load(bytes)
  }, 60_000)
  afterAll(async () => gen.dispose())

  it('accepts a number[] latent of the right length, decoding exactly like the Float32Array', async () => {
    const z = gen.sample({ class: 'heart', n: 1, seed: 3 })[0]!
    const [a, b] = [await gen.decode([z], 'heart'), await gen.decode([Array.from(z)], 'heart')]
    expect(Array.from(b[0]!.data)).toEqual(Array.from(a[0]!.data))
    expect(gen.interpolate(Array.from(z), [0, 0, 0, 0], 3)).toHaveLength(3)
    const wrong = await caught(() => gen.decode([[1, 2]], 'heart'))
    expect(wrong.code).toBe('BAD_LATENT')
    expect(wrong.message).toMatch(/latent 0 has 2 values but the model's latent size is 4/)
    expect((await caught(() => gen.decode([['1', 2, 3, 4] as unknown as number[]], 'heart'))).message).toMatch(/Float32Array or number\[\] of 4 values, got an array holding the string "1"/)
    expect((await caught(() => gen.decode(z as unknown as Float32Array[], 'heart'))).message).toMatch(/wrap one latent in a list: decode\(\[z\], cls\)/)
  })

  it('n: "4", seed: "1", temperature: "0.5" say they are strings, not "count 4 is invalid"', async () => {
    const n = await caught(() => gen.sample({ class: 'heart', n: '4' as unknown as number }))
    expect(n.code).toBe('BAD_COUNT')
    expect(n.message).toBe('n must be a number, got the string "4" — write n: 4')
    expect((await caught(() => gen.sample({ class: 'heart', seed: '1' as unknown as number }))).message).toMatch(/seed must be a number, got the string "1"/)
    expect((await caught(() => gen.generate({ class: 'heart', temperature: '0.5' as unknown as number }))).message).toMatch(/temperature must be a number, got the string "0\.5"/)
    expect((await caught(() => gen.sample({ class: 'heart', n: 0 }))).message).toMatch(/n = 0 is invalid — ask for a whole number of at least 1/)
  })

  it('transfer(…, []) asks for a target class instead of "count 0"', async () => {
    const b = createBitmap(16, 16)
    const e = await caught(() => gen.transfer(b, 'A', []))
    expect(e.code).toBe('BAD_ARGUMENT')
    expect(e.message).toMatch(/transfer needs at least one target class — e\.g\. transfer\(bitmap, 'heart', \['bell'\]\)/)
    expect((await caught(() => gen.transfer(b, 'A', 'a' as unknown as string[]))).message).toMatch(/target classes must be a list, got the string "a"/)
    expect((await caught(() => gen.decode([], 'A'))).message).toMatch(/no latents to decode/)
  })

  it('" A", full-width "Ａ" resolve to "A" (trim + NFKC); a Cyrillic look-alike is named', async () => {
    expect(gen.resolveClass(' A').label).toBe('A')
    expect(gen.resolveClass('A ').label).toBe('A')
    expect(gen.resolveClass('\uFF21').label).toBe('A') // FULLWIDTH LATIN CAPITAL LETTER A
    expect(gen.resolveClass('\uFF41').label).toBe('a')
    expect(gen.resolveClass(' ＨＥＡＲＴ ').label).toBe('heart')
    const cyr = await caught(() => gen.sample({ class: '\u0410' })) // CYRILLIC CAPITAL LETTER A
    expect(cyr.code).toBe('UNKNOWN_CLASS')
    expect(cyr.message).toBe('unknown class "А": it contains "А" (U+0410, Cyrillic), which looks like Latin "A" — did you mean "A"? Type it with Latin letters')
    expect((await caught(() => gen.sample({ class: 'h\u0435art' }))).message).toMatch(/U\+0435, Cyrillic.*did you mean "heart"/)
    expect((await caught(() => gen.sample({ class: '  ' }))).message).toMatch(/class is empty/)
    expect((await caught(() => gen.sample({ class: null as unknown as string }))).message).toMatch(/class must be a label \(string\) or an id \(number\), got null/)
  })

  it('use after dispose() is DISPOSED for every method; dispose twice is fine', async () => {
    const g = await Generator.load(bytes)
    const z = g.sample({ class: 0, n: 1, seed: 1 })
    await g.dispose()
    await g.dispose()
    expect(g.isDisposed).toBe(true)
    for (const f of [() => g.sample({ class: 0 }), () => g.generate({ class: 0 }), () => g.decode(z, 0), () => g.encode(createBitmap(16, 16), 0), () => g.interpolate(z[0]!, z[0]!, 2), () => g.transfer(createBitmap(16, 16), 0, [1])]) {
      const e = await caught(f)
      expect(e.code).toBe('DISPOSED')
      expect(e.message).toMatch(/was disposed — load the model again/)
    }
  })

  it('errors thrown inside onnxruntime during run become RUNTIME, the original as cause', async () => {
    // A real onnxruntime-node error: a feed of the wrong shape straight into the session.
    const session = await nodeBackend().createSession(splitModel(parseModelFile(bytes).model).decoder)
    const e = await caught(() => session.run({ dec_z: { data: new Float32Array(3), dims: [1, 3] }, dec_class: { data: new Float32Array(4), dims: [1, 4] } }, ['dec_image']))
    expect(e.code).toBe('RUNTIME')
    expect(e.message).toMatch(/^onnxruntime-node\/cpu failed while running the model: /)
    expect(e.message).not.toMatch(/onnxruntime_src|\.cc:\d+/)
    expect(e.cause).toBeInstanceOf(Error)
    await session.release()
    expect((await caught(() => session.run({}, ['dec_image']))).code).toBe('DISPOSED')
    // Any backend: an error from run is wrapped by the Generator.
    const failing: Backend = {
      name: 'failing',
      async createSession(): Promise<Session> {
        return { backend: 'failing', run: () => Promise.reject(new TypeError('K is not a function')), release: async () => undefined }
      },
    }
    const g = await Generator.fromBytes(bytes, failing)
    const r = await caught(() => g.generate({ class: 0 }))
    expect(r.code).toBe('RUNTIME')
    expect(r.message).toBe('failing failed while running test-tiny: K is not a function')
    expect(r.cause).toBeInstanceOf(TypeError)
  })
})
