/**
 * End-to-end paths beyond the happy ones, in the built plugin (fixture models) in headless Chromium: a quick
 * action whose hidden UI fails, a selection that cannot be exported, an inserted group selected again, a valid
 * model file opened from disk, and the theme tokens on the elements that carry meaning.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin } from '../../scripts/build-plugin.js'
import { iconsOf, readIconSet } from '../../scripts/data/iconify.js'
import { rasteriseIcon } from '../../scripts/data/rasterize.js'
import { heInit } from '../../sdk/graph/layers.js'
import { encodePng } from '../../sdk/image/png.js'
import { buildModelFile } from '../../sdk/model/file.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'
import { writeFixtureModels } from './fixtures.js'
import { figmaState, gridClasses, gridSeeds, notifications, openPlugin, selectedChips, setNumberField, startHarness, waitForGrid, waitForPosted, type Harness } from './harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const skip = chromiumSkipReason()
const T = 120_000

/** A real icon (Phosphor heart) as Figma exports a selection: black ink on transparent, 128 px. */
function heartPng(): number[] {
  const icon = iconsOf(readIconSet(join(ROOT, 'tests/fixtures/iconify'), 'ph')).icons.find((i) => i.name === 'heart')!
  const cov = rasteriseIcon(icon.svg, 128, 8)
  const rgba = new Uint8Array(128 * 128 * 4)
  for (let i = 0; i < cov.data.length; i++) rgba[i * 4 + 3] = Math.round(cov.data[i]! * 255)
  return Array.from(encodePng({ width: 128, height: 128, data: rgba }))
}

/** Colour of the most opaque pixel of a variant canvas, and its alpha. */
async function inkColour(ui: Frame, index: number): Promise<{ rgb: string; alpha: number }> {
  return ui.locator('[data-testid=variant]').nth(index).evaluate((el) => {
    const c = el.querySelector('canvas')!
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let best = 3
    for (let i = 3; i < d.length; i += 4) if (d[i]! > d[best]!) best = i
    return { rgb: `rgb(${d[best - 3]}, ${d[best - 2]}, ${d[best - 1]})`, alpha: d[best]! }
  })
}

describe.skipIf(skip)('plugin paths in Chromium (fixture models)', () => {
  let tmp: string
  let browser: LaunchedBrowser
  let harness: Harness

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'latentype-ui-paths-'))
    const models = writeFixtureModels(tmp)
    await buildPlugin({ out: join(tmp, 'dist'), models: [models.icons, models.glyphs], quiet: true })
    harness = await startHarness(join(tmp, 'dist'), ROOT)
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  it('quick action: when the hidden UI cannot generate, the run ends with an error notification and inserts nothing', async () => {
    // the UI is asked for a model it does not have (as after a build/version mismatch)
    const setup = `const post = figma.ui.postMessage; figma.ui.postMessage = (m) => post(m && m.type === 'quick-generate' ? { ...m, modelKey: 'gone' } : m);`
    const { page } = await openPlugin(browser.browser, harness, { command: 'generate', parameters: { model: 'icons', class: 'bell', count: '2' }, setup })
    await page.waitForFunction(() => (window as unknown as { figma: { closed: boolean } }).figma.closed, null, { timeout: T })
    const r = await figmaState<{ shown: unknown; nodes: number; posted: string[] }>(page, `({ shown: figma.shown.options, nodes: figma.currentPage.children.length, posted: figma.posted.map(m => m.type) })`)
    expect(r.shown).toEqual({ visible: false })
    expect(r.nodes).toBe(0)
    expect(r.posted).toEqual(['quick-generate'])
    const notes = await notifications(page)
    expect(notes).toHaveLength(1)
    expect(notes[0]!.error).toBe(true)
    expect(notes[0]!.message).toMatch(/^latentype: .*"lt-model-gone"/)
    await page.close()
  }, T)

  it('match selection with a selection that cannot be exported: an error banner naming the node; grid and UI stay usable', async () => {
    const setup = `const n = new FakeNode('FRAME', 'Locked logo', 80, 40); figma.currentPage.append(n); figma.currentPage.selection = [n];`
    const { page, ui } = await openPlugin(browser.browser, harness, { setup })
    await waitForGrid(ui, 8)
    expect(await ui.getAttribute('[data-testid=style]', 'title')).toMatch(/Locked logo/)
    await ui.click('[data-testid=style]')
    await ui.waitForSelector('[data-testid=banner-error]', { timeout: T })
    expect(await ui.textContent('[data-testid=banner-message]')).toBe('Could not export "Locked logo": this node cannot be exported')
    // the grid is the one from before, and nothing is stuck busy
    expect(await gridSeeds(ui)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    await ui.waitForSelector('[data-testid=style]:not([disabled])', { timeout: T })
    await setNumberField(ui, 'seed', 40)
    await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(40)
    expect(await ui.locator('[data-testid=banner-error]').count()).toBe(0)
    // the document is untouched
    expect(await figmaState<string[]>(page, 'figma.currentPage.children.map(n => n.name)')).toEqual(['Locked logo'])
    expect(await notifications(page)).toEqual([])
    await page.close()
  }, T)

  it('selecting an inserted group again: match selection reads the class from the variant stored on its children', async () => {
    const { page, ui } = await openPlugin(browser.browser, harness)
    await waitForGrid(ui, 8)
    await setNumberField(ui, 'count', 2)
    await waitForGrid(ui, 2)
    expect(await gridClasses(ui)).toEqual(['star', 'star'])
    await ui.click('[data-testid=insert-all]')
    await waitForPosted(page, ['inserted'])
    // the user renames the group (no class word in it), deselects, then selects it again; Figma exports it as PNG
    await page.evaluate(`(() => { const g = figma.currentPage.children[0]; g.name = 'My icons'; g.exportPng = () => new Uint8Array(${JSON.stringify(heartPng())}); figma.select([]); figma.select([g]); })()`)
    await ui.waitForFunction(() => document.querySelector('[data-testid=style]')?.getAttribute('title')?.includes('My icons'), null, { timeout: T })
    // another class in the UI: the class of the stored variant must win, not the UI's current class
    await ui.fill('[data-testid=class-search]', 'bell')
    expect(await selectedChips(ui)).toEqual(['bell'])
    await expect.poll(async () => (await gridClasses(ui))[0], { timeout: T }).toBe('bell')
    await ui.click('[data-testid=style]')
    await waitForGrid(ui, 4)
    await expect.poll(() => notifications(page), { timeout: 10_000 }).toContainEqual({ message: 'Read “My icons” as star: 4 classes in its style', error: false })
    expect(await gridClasses(ui)).toEqual(['heart', 'home', 'star', 'bell'])
    expect(await ui.locator('[data-testid=variant]').nth(2).getAttribute('class')).toContain('focus')
    await page.close()
  }, T)

  it('opens a valid model file from disk: its classes, its name, generation and insert with it', async () => {
    const classes = ['cloud', 'sun', 'moon'].map((label, id) => ({ id, label, synonyms: [] as string[] }))
    const spec = resolveSpec({ imageSize: 32, channels: 1, latentSize: 6, encoder: { conv: [8, 16], hidden: 32 }, decoder: { hidden: 32, conv: [16, 8] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true }, classes.length)
    const bytes = buildModelFile({ name: 'weather-icons', kind: 'icons', classes, spec, attribution: [], metrics: { trained: 'no' }, createdAt: '2026-01-01T00:00:00.000Z' }, heInit(9))
    const { page, ui } = await openPlugin(browser.browser, harness)
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=info]')
    await ui.setInputFiles('[data-testid=open-model]', { name: 'weather.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
    const tab = ui.locator('[data-testid="model-file:weather.onnx"]')
    await tab.waitFor({ timeout: T })
    expect(await tab.textContent()).toBe('weather-icons')
    await expect.poll(() => tab.getAttribute('aria-pressed'), { timeout: T }).toBe('true')
    // it opens on a generated grid of its first class, with its own classes and card
    await expect.poll(async () => (await gridClasses(ui))[0], { timeout: T }).toBe('cloud')
    await waitForGrid(ui, 8)
    expect(await ui.locator('[data-testid=banner-error]').count()).toBe(0)
    expect(await selectedChips(ui)).toEqual(['cloud'])
    expect(await ui.locator('[data-testid=class-chip]').allTextContents()).toEqual(['cloud', 'sun', 'moon'])
    expect(await ui.textContent('[data-testid=advanced]')).toMatch(/weather-icons · 3 classes · 32 px · 6 style dimensions/)
    expect(await gridSeeds(ui)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect((await inkColour(ui, 0)).alpha).toBeGreaterThan(0)
    await setNumberField(ui, 'count', 3)
    await waitForGrid(ui, 3)
    await ui.click('[data-testid=insert-all]')
    await waitForPosted(page, ['inserted', 'error'])
    const doc = await figmaState<{ errors: unknown[]; group: string; data: { model: string; modelKey: string; class: string; latent: number[] } }>(
      page,
      `(() => { const g = figma.currentPage.children[0]; return { errors: figma.posted.filter(m => m.type === 'error'), group: g.name, data: JSON.parse(g.children[0].getPluginData('latentype')) } })()`,
    )
    expect(doc.errors).toEqual([])
    expect(doc.group).toBe('latentype/weather-icons/cloud')
    expect(doc.data).toMatchObject({ model: 'weather-icons', modelKey: 'file:weather.onnx', class: 'cloud' })
    expect(doc.data.latent).toHaveLength(6)
    await page.close()
  }, T)

  it('theme tokens reach the elements that carry meaning: glyph ink, primary action, focus and selection, surfaces', async () => {
    const expected = {
      light: { bg: 'rgb(255, 255, 255)', text: 'rgb(30, 30, 30)', brand: 'rgb(13, 153, 255)', onBrand: 'rgb(255, 255, 255)', selectedBg: 'rgb(229, 244, 255)', focus: 'rgb(13, 153, 255)' },
      dark: { bg: 'rgb(44, 44, 44)', text: 'rgb(255, 255, 255)', brand: 'rgb(12, 140, 233)', onBrand: 'rgb(255, 255, 255)', selectedBg: 'rgb(74, 88, 120)', focus: 'rgb(12, 140, 233)' },
    }
    for (const theme of ['light', 'dark'] as const) {
      const want = expected[theme]
      const { page, ui } = await openPlugin(browser.browser, harness, { theme })
      await waitForGrid(ui, 8, { vectors: true })
      await ui.locator('[data-testid=variant]').nth(1).click({ modifiers: ['Shift'] })
      // away from the cells: no hover state in the colours read below
      await page.mouse.move(0, 0)
      const style = (sel: string, props: string[]) =>
        ui.locator(sel).first().evaluate((el, ps) => Object.fromEntries(ps.map((p) => [p, getComputedStyle(el).getPropertyValue(p)])), props)
      expect(await style('body', ['background-color', 'color']), theme).toEqual({ 'background-color': want.bg, color: want.text })
      // the drawn glyphs (traced vectors) use the theme's text colour: dark ink on light, light ink on dark
      const ink = await inkColour(ui, 0)
      expect(ink.alpha, theme).toBeGreaterThan(200)
      expect(ink.rgb, theme).toBe(want.text)
      expect(await style('[data-testid=generate]', ['background-color', 'color']), theme).toEqual({ 'background-color': want.brand, color: want.onBrand })
      // cells animate their colours for 80 ms
      await expect.poll(async () => (await style('[data-testid=variant] >> nth=1', ['background-color']))['background-color'], { timeout: 5000, message: `${theme} selected cell` }).toBe(want.selectedBg)
      expect((await style('[data-testid=variant] >> nth=0', ['border-top-color']))['border-top-color'], `${theme} focused cell`).toBe(want.focus)
      expect((await style('[data-testid=variant] >> nth=2', ['background-color', 'border-top-color'])), `${theme} plain cell`).toEqual({ 'background-color': want.bg, 'border-top-color': theme === 'light' ? 'rgb(230, 230, 230)' : 'rgb(68, 68, 68)' })
      await page.close()
    }
  }, T)
})
