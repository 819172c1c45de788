/**
 * The worker's WebGPU path against its wasm path, on a localhost page (a secure context where Chromium exposes
 * WebGPU with --enable-unsafe-webgpu; SwiftShader adapter: correct but slow). Same images within 1e-4; a lost
 * device falls back to wasm and keeps producing the same images.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin } from '../../scripts/build-plugin.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'
import { writeFixtureModels } from './fixtures.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const skip = chromiumSkipReason()

describe.skipIf(skip)('worker execution providers (WebGPU vs wasm)', () => {
  let tmp: string
  let server: Server
  let url: string
  let browser: LaunchedBrowser

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'latentype-gpu-'))
    const models = writeFixtureModels(tmp)
    await buildPlugin({ out: join(tmp, 'dist'), models: [models.icons], runtime: 'all', quiet: true })
    const page = await esbuild.build({ entryPoints: [join(ROOT, 'tests/ui/pages/parity-page.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' })
    const files: Record<string, [string, () => string | Buffer]> = {
      '/': ['text/html', () => '<!doctype html><meta charset="utf-8"><script src="/parity.js"></script>'],
      '/parity.js': ['text/javascript', () => page.outputFiles[0]!.text],
      '/ui.html': ['text/html', () => readFileSync(join(tmp, 'dist/ui.html'))],
      // The whole UI as a top-level localhost page, WebGPU requested (Figma itself exposes no WebGPU).
      '/ui-webgpu.html': ['text/html', () => readFileSync(join(tmp, 'dist/ui.html'), 'utf8').replace('<head>', '<head><script>window.__LATENTYPE_EP__="webgpu"</script>')],
    }
    server = createServer((req, res) => {
      const f = files[req.url ?? '/']
      if (!f) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': f[0] }).end(f[1]())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    browser = await launchChromium({ webgpu: true })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => server?.close(r))
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  it('WebGPU images match wasm within 1e-4; auto measures both; device loss falls back to wasm', async () => {
    const page = await browser.browser.newPage()
    page.on('pageerror', (e) => console.error('[pageerror]', e.message))
    await page.goto(url)
    const r = (await page.evaluate(() => (window as unknown as { runParity(k: string): Promise<unknown> }).runParity('icons'))) as {
      gpu: { ep: string; reason: string }
      cpu: { ep: string; reason: string }
      auto: { ep: string; reason: string; timings: { webgpu?: number; wasm?: number } }
      maxDiff: number
      inkRange: [number, number]
      lost: boolean
      afterLoss: { ep: string; reason: string }
      maxDiffAfterLoss: number
    }
    console.log(`[webgpu parity] ${JSON.stringify(r)}`)
    expect(r.gpu.ep).toBe('webgpu')
    expect(r.cpu).toMatchObject({ ep: 'wasm', reason: expect.stringMatching(/switched off/) })
    expect(r.inkRange[1]).toBeGreaterThan(r.inkRange[0])
    expect(r.maxDiff).toBeLessThan(1e-4)
    expect(r.auto.reason).toMatch(/measured 16 images: WebGPU [\d.]+ ms, wasm [\d.]+ ms/)
    expect(r.lost).toBe(true)
    expect(r.afterLoss).toMatchObject({ ep: 'wasm', reason: expect.stringMatching(/WebGPU (device lost|failed mid-session).*switched to wasm/) })
    expect(r.maxDiffAfterLoss).toBeLessThan(1e-4)
  }, 180_000)

  it('the UI runs on WebGPU, and a device loss mid-session switches to wasm without losing the grid', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 380, height: 640 } })
    await page.goto(`${url}ui-webgpu.html`)
    // Opens on a grid without a click; the runtime details are under ⓘ.
    await page.waitForSelector('[data-testid=variant]', { timeout: 120_000 })
    await page.click('[data-testid=info]')
    expect(await page.textContent('[data-testid=backend]')).toBe('WebGPU')
    await page.fill('[data-testid=count]', '4')
    await page.locator('[data-testid=count]').dispatchEvent('change')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=variant]').length === 4, null, { timeout: 60_000 })
    const slider = page.locator('[data-testid=latent-slider]').first()
    await slider.fill('1.5')
    expect(await page.evaluate(() => (globalThis as unknown as { __latentypeDebug: { loseDevice(): Promise<boolean> } }).__latentypeDebug.loseDevice())).toBe(true)
    await page.waitForFunction(() => document.querySelector('[data-testid=backend]')?.textContent === 'wasm', null, { timeout: 30_000 })
    await page.waitForFunction(() => /restarted the runtime on wasm/.test(document.querySelector('[data-testid=backend-reason]')?.textContent ?? ''), null, { timeout: 30_000 })
    expect(await page.textContent('[data-testid=backend-reason]')).toMatch(/WebGPU device lost.*restarted the runtime on wasm/)
    // State survived: same variants, the edited latent kept, and sliders still repaint (now on wasm).
    expect(await page.locator('[data-testid=variant]').count()).toBe(4)
    expect(Number(await slider.inputValue())).toBeCloseTo(1.5, 5)
    await page.evaluate(() => document.addEventListener('latentype:painted', () => ((globalThis as unknown as { painted: boolean }).painted = true), { once: true }))
    await slider.fill('-1')
    await page.waitForFunction(() => (globalThis as unknown as { painted?: boolean }).painted === true)
    expect(await page.locator('[data-testid=banner-error]').allTextContents()).toEqual([])
    await page.close()
  }, 120_000)
})
