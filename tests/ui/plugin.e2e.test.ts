/**
 * End-to-end: the built plugin (dist-like build with fixture models) in headless Chromium, loaded the way Figma
 * loads it, with the built code.js running against the fake Figma API. Real onnxruntime-web (wasm) throughout.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin } from '../../scripts/build-plugin.js'
import { encodePng } from '../../sdk/image/png.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'
import { FIXTURE_SLIDER_ORDER, writeFixtureModels } from './fixtures.js'
import { openPlugin, startHarness, type Harness } from './harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const skip = chromiumSkipReason()
const T = 60_000

/** Sum of alpha over a canvas (0 = nothing drawn), and a cheap fingerprint of its pixels. */
async function canvasStats(ui: Frame, selector: string, index = 0): Promise<{ ink: number; hash: number }> {
  return ui.locator(selector).nth(index).evaluate((el) => {
    const c = el instanceof HTMLCanvasElement ? el : el.querySelector('canvas')!
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let ink = 0
    let hash = 0
    for (let i = 3; i < d.length; i += 4) {
      ink += d[i]!
      hash = (Math.imul(hash, 31) + d[i]!) | 0
    }
    return { ink, hash }
  })
}

const fake = <T>(page: Page, fn: string): Promise<T> => page.evaluate(fn) as Promise<T>

describe.skipIf(skip)('plugin UI in Chromium (Figma-style null-origin iframe)', () => {
  let tmp: string
  let browser: LaunchedBrowser
  let harness: Harness

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'latentype-ui-'))
    const models = writeFixtureModels(tmp)
    await buildPlugin({ out: join(tmp, 'dist'), models: [models.icons, models.glyphs], quiet: true })
    harness = await startHarness(join(tmp, 'dist'), ROOT)
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  const ready = async (ui: Frame): Promise<void> => void (await ui.waitForSelector('[data-testid=grid-empty]', { timeout: T }))
  const generate = async (ui: Frame, n: number): Promise<void> => {
    await ui.fill('[data-testid=count]', String(n))
    await ui.locator('[data-testid=count]').dispatchEvent('change')
    await ui.click('[data-testid=generate]')
    await ui.waitForFunction((k) => document.querySelectorAll('[data-testid=variant]').length === k, n, { timeout: T })
  }

  it('generates a grid of drawn variants, shows why it runs on wasm, and finds classes by synonym', async () => {
    const { page, ui } = await openPlugin(browser.browser, harness)
    await ready(ui)
    expect(await ui.textContent('[data-testid=backend]')).toBe('wasm')
    expect(await ui.textContent('[data-testid=backend-reason]')).toMatch(/WebGPU/)
    await ui.fill('[data-testid=class-search]', 'hous')
    expect(await ui.textContent('[data-testid=current-class]')).toBe('home')
    expect(await ui.locator('[data-testid=class-chip]').allTextContents()).toEqual(['home'])
    await ui.fill('[data-testid=class-search]', 'zzz')
    await ui.waitForSelector('[data-testid=no-class]')
    await ui.fill('[data-testid=class-search]', '')
    await generate(ui, 6)
    for (let i = 0; i < 6; i++) expect((await canvasStats(ui, '[data-testid=variant]', i)).ink).toBeGreaterThan(0)
    const hashes = await Promise.all([0, 1].map(async (i) => (await canvasStats(ui, '[data-testid=variant]', i)).hash))
    expect(hashes[0]).not.toBe(hashes[1])
    await page.close()
  }, T)

  it('orders named sliders first, then latent sliders by card.latentKl; dragging repaints; lock and reset work', async () => {
    const { page, ui } = await openPlugin(browser.browser, harness)
    await ready(ui)
    await generate(ui, 4)
    expect(await ui.locator('[data-testid^=dir-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['dir-weight', 'dir-slant'])
    const dims = await ui.locator('[data-testid=latent-slider]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-dim'))))
    expect(dims).toEqual(FIXTURE_SLIDER_ORDER)

    const before = await canvasStats(ui, '[data-testid=preview]')
    const slider = ui.locator('[data-testid=latent-slider][data-dim="1"]')
    const original = Number(await slider.inputValue())
    await slider.fill('2.5')
    await ui.waitForFunction((h) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=preview]')!
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let hash = 0
      for (let i = 3; i < d.length; i += 4) hash = (Math.imul(hash, 31) + d[i]!) | 0
      return hash !== h
    }, before.hash)
    // The named "Weight" slider moves z1 and z3 together.
    await ui.locator('[data-testid=dir-weight]').fill('1')
    // z1 is now 3.5; the raw slider shows it clamped to its range end.
    await expect.poll(async () => Number(await slider.inputValue()), { timeout: 5000 }).toBe(3)

    // Lock z1, re-sample with a new seed: the new first variant keeps z1.
    const locked = Number(await slider.inputValue())
    await ui.locator('.slider', { has: ui.locator('[data-dim="1"]') }).locator('[data-testid=lock]').click()
    const firstBefore = await ui.locator('[data-testid=variant]').first().getAttribute('title')
    await ui.click('[data-testid=shuffle]')
    await expect.poll(() => ui.locator('[data-testid=variant]').first().getAttribute('title'), { timeout: T }).not.toBe(firstBefore)
    expect(Number(await slider.inputValue())).toBeCloseTo(locked, 5)
    await slider.fill('-1')
    await ui.click('[data-testid=reset]')
    expect(Number(await slider.inputValue())).toBeCloseTo(locked, 5)
    expect(original).not.toBe(locked)
    await page.close()
  }, T)

  it('keyboard: arrows move focus, Space selects, Interpolate gives a strip, Enter inserts a valid group via code.js', async () => {
    const { page, ui } = await openPlugin(browser.browser, harness)
    await ready(ui)
    await generate(ui, 8)
    const grid = ui.locator('[data-testid=grid]')
    await grid.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowDown')
    expect(await ui.locator('[data-testid=variant]').nth(5).getAttribute('class')).toContain('focus')
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Space')
    expect(await ui.locator('[data-testid=variant][aria-selected=true]').count()).toBe(2)
    await ui.click('[data-testid=interpolate]')
    await ui.waitForFunction(() => document.querySelectorAll('[data-testid=strip] canvas').length === 8)
    await grid.focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => m.type === 'inserted' || m.type === 'error'), null, { timeout: T })
    const doc = await fake<{ posted: { type: string; message?: string }[]; groups: { name: string; children: { name: string; data: string; relaunch: string[]; vectors: number }[] }[]; selection: string[] }>(
      page,
      `(() => ({ posted: figma.posted, selection: figma.currentPage.selection.map(n => n.name),
         groups: figma.currentPage.children.map(g => ({ name: g.name, children: g.children.map(c => ({ name: c.name, data: c.getPluginData('latentype'), relaunch: Object.keys(c.relaunchData), vectors: c.children.length })) })) }))()`,
    )
    expect(doc.posted.find((m) => m.type === 'error')).toBeUndefined()
    expect(doc.groups).toHaveLength(1)
    const group = doc.groups[0]!
    expect(group.name).toBe('latentype/fixture-icons/heart')
    expect(group.children.map((c) => c.name)).toEqual(['latentype/fixture-icons/heart/seed-5', 'latentype/fixture-icons/heart/seed-6'])
    for (const c of group.children) {
      expect(c.vectors).toBeGreaterThan(0)
      expect(c.relaunch).toEqual(['edit'])
      const data = JSON.parse(c.data)
      expect(data).toMatchObject({ v: 1, model: 'fixture-icons', modelKey: 'icons', class: 'heart', temperature: 1 })
      expect(data.latent).toHaveLength(8)
    }
    expect(doc.selection).toEqual([group.name])
    await page.close()
  }, T)

  it('a model file of random bytes shows an error state and the UI stays usable', async () => {
    const { page, ui } = await openPlugin(browser.browser, harness)
    await ready(ui)
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))
    await ui.setInputFiles('[data-testid=open-model]', { name: 'junk.onnx', mimeType: 'application/octet-stream', buffer: junk })
    await ui.waitForSelector('[data-testid=banner-error]', { timeout: T })
    expect(await ui.textContent('[data-testid=banner-error]')).toMatch(/junk\.onnx.*(not a readable ONNX|model card)/)
    await ui.click('[data-testid=model-glyphs]')
    await ready(ui)
    await generate(ui, 3)
    expect(await ui.textContent('[data-testid=current-class]')).toBe('A')
    await page.close()
  }, T)

  it('style from selection: the selected text node, exported as PNG, becomes every glyph class in its style', async () => {
    const size = 64
    const a = new Float32Array(size * size)
    for (let y = 8; y < 56; y++) for (let x = 0; x < size; x++) if (Math.abs(x - 32) < (y - 8) / 2 + 3 && Math.abs(x - 32) > (y - 8) / 2 - 4) a[y * size + x] = 1
    const png = Array.from(encodePng({ width: size, height: size, data: a }))
    const setup = `const n = new FakeNode('TEXT', 'A', 40, 40); n.characters = 'A'; n.exportPng = () => new Uint8Array(${JSON.stringify(png)}); figma.currentPage.append(n); figma.currentPage.selection = [n];`
    const { page, ui } = await openPlugin(browser.browser, harness, { setup })
    await ui.click('[data-testid=model-glyphs]')
    await ready(ui)
    await ui.waitForSelector('[data-testid=style]:not([disabled])')
    await ui.click('[data-testid=style]')
    await ui.waitForFunction(() => document.querySelectorAll('[data-testid=variant]').length === 5, null, { timeout: T })
    expect(await ui.textContent('[data-testid=banner-info]')).toMatch(/as A; showing 5 classes/)
    await page.close()
  }, T)

  it('the relaunch command opens the stored variant for editing', async () => {
    const data = { v: 1, model: 'fixture-icons', modelKey: 'icons', class: 'star', seed: 42, temperature: 0.8, latent: [0.1, -0.5, 1, 0, 0.2, 0, -1, 0.3] }
    const setup = `const n = new FakeNode('FRAME', 'latentype/fixture-icons/star/seed-42', 48, 48); n.setPluginData('latentype', ${JSON.stringify(JSON.stringify(data))}); figma.currentPage.append(n); figma.currentPage.selection = [n];`
    const { page, ui } = await openPlugin(browser.browser, harness, { command: 'edit', setup })
    await ui.waitForSelector('[data-testid=preview]', { timeout: T })
    expect(await ui.textContent('[data-testid=banner-info]')).toMatch(/Editing star · seed 42/)
    expect(Number(await ui.locator('[data-testid=latent-slider][data-dim="6"]').inputValue())).toBeCloseTo(-1, 5)
    await page.close()
  }, T)

  it('the quick action generates and inserts without a visible UI, then closes', async () => {
    const page = (await openPlugin(browser.browser, harness, { command: 'generate', parameters: { model: 'icons', class: 'bell', count: '3' } })).page
    await page.waitForFunction(() => (window as unknown as { figma: { closed: boolean } }).figma.closed, null, { timeout: T })
    const r = await fake<{ shown: unknown; names: string[]; notes: { message: string; error: boolean }[] }>(
      page,
      `({ shown: figma.shown.options, names: figma.currentPage.children.flatMap(g => g.children.map(c => c.name)), notes: figma.notifications })`,
    )
    expect(r.shown).toEqual({ visible: false })
    expect(r.notes).toEqual([{ message: 'latentype: inserted 3 × bell', error: false }])
    expect(r.names).toHaveLength(3)
    expect(r.names[0]).toMatch(/^latentype\/fixture-icons\/bell\/seed-\d+$/)
    await page.close()
  }, T)

  it('the WebGPU-first build (--runtime all) falls back to wasm in Figma\'s frame and says why', async () => {
    const models = writeFixtureModels(tmp)
    const report = await buildPlugin({ out: join(tmp, 'dist-all'), models: [models.icons], runtime: 'all', quiet: true })
    const h = await startHarness(join(tmp, 'dist-all'), ROOT)
    const { page, ui } = await openPlugin(browser.browser, h)
    await ready(ui)
    expect(await ui.textContent('[data-testid=backend-reason]')).toMatch(/navigator\.gpu is missing/)
    await generate(ui, 2)
    expect(report.totalBytes).toBeGreaterThan(7 * 1024 * 1024)
    expect(report.totalBytes).toBeLessThan(15 * 1024 * 1024)
    await page.close()
    await h.close()
  }, T)

  it('renders light and dark from Figma theme tokens (screenshots of the shipped build)', async () => {
    // Set UPDATE_SCREENSHOTS=1 to refresh docs/plugin-light.png and docs/plugin-dark.png for the README.
    const out = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmp, 'shots')
    mkdirSync(out, { recursive: true })
    await buildPlugin({ out: join(tmp, 'dist-shipped'), quiet: true })
    const shipped = await startHarness(join(tmp, 'dist-shipped'), ROOT)
    const bgs: string[] = []
    for (const theme of ['light', 'dark'] as const) {
      const { page, ui } = await openPlugin(browser.browser, shipped, { theme })
      await ready(ui)
      await generate(ui, 8)
      await ui.locator('[data-testid=variant]').nth(1).click({ modifiers: ['Shift'] })
      await page.screenshot({ path: join(out, `plugin-${theme}.png`) })
      bgs.push(await ui.evaluate(() => getComputedStyle(document.body).backgroundColor))
      await page.close()
    }
    await shipped.close()
    expect(bgs).toEqual(['rgb(255, 255, 255)', 'rgb(44, 44, 44)'])
  }, T)
})
