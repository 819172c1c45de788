/** The same seed gives bit-identical latents in Node and in Chromium (the PRNG bundled as the plugin bundles it). */
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Rng } from '../sdk/random.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from './helpers/chromium.js'

const skip = chromiumSkipReason()

describe.skipIf(skip)('Rng in Chromium', () => {
  let chrome: LaunchedBrowser
  beforeAll(async () => {
    chrome = await launchChromium()
  })
  afterAll(async () => chrome?.close())

  it('produces the same uint32s and float32 normals bit for bit as Node', async () => {
    const bundle = await build({ entryPoints: ['sdk/random.ts'], bundle: true, format: 'iife', globalName: 'LT', write: false, target: 'es2022' })
    const page = await chrome.browser.newPage()
    await page.setContent('<!doctype html><title>rng</title>')
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
    const seeds = [0, 1, 7, 42, 123456789, 2 ** 31 + 11]
    const inBrowser = await page.evaluate((seeds) => {
      const LT = (globalThis as unknown as { LT: { Rng: typeof Rng } }).LT
      return seeds.map((s) => {
        const r = new LT.Rng(s)
        const u = [r.nextUint32(), r.nextUint32()]
        const n = Array.from(new Uint32Array(new LT.Rng(s).normals(257, 0.7).buffer))
        return { u, n }
      })
    }, seeds)
    seeds.forEach((s, i) => {
      const r = new Rng(s)
      expect(inBrowser[i]!.u).toEqual([r.nextUint32(), r.nextUint32()])
      expect(inBrowser[i]!.n).toEqual(Array.from(new Uint32Array(new Rng(s).normals(257, 0.7).buffer)))
    })
    await page.close()
  })
})
