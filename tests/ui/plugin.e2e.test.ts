/**
 * End-to-end: the built plugin (dist-like build with fixture models) in headless Chromium, loaded the way Figma
 * loads it, with the built code.js running against the fake Figma API. Real onnxruntime-web (wasm) throughout.
 * Covers the plugin as a designer drives it: it opens on a grid, search understands multi-word synonyms, the
 * preview is the vector Insert places, insert/replace like the icon plugins, toasts, per-model state, layout.
 * Failure paths, model files and theme tokens: plugin-paths.e2e.test.ts; Match selection with real glyphs:
 * plugin-style.e2e.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin } from '../../scripts/build-plugin.js'
import { STORAGE } from '../../plugin/main.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'
import { FIXTURE_SLIDER_ORDER, writeFixtureModels } from './fixtures.js'
import { figmaState, gridSeeds, notifications, openPlugin, screenshotDocument, selectedChips, setNumberField, startHarness, waitForGrid, type Harness, type OpenOptions } from './harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const skip = chromiumSkipReason()
const T = 120_000

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

type Posted = { type: string; message?: string; settings?: unknown }
interface DocNode {
  type: string
  name: string
  x: number
  y: number
  width: number
  height: number
  data: string
  relaunch: string[]
  fills: unknown
  fillStyleId: unknown
  children: DocNode[]
}
const NODE_JSON = `const j = (n) => ({ type: n.type, name: n.name, x: n.x, y: n.y, width: n.width, height: n.height, data: n.getPluginData('latentype'), relaunch: Object.keys(n.relaunchData), fills: n.fills, fillStyleId: n.fillStyleId, children: n.children.map(j) })`
const docOf = (page: Page): Promise<DocNode[]> => figmaState(page, `(() => { ${NODE_JSON}; return figma.currentPage.children.map(j) })()`)
const posted = (page: Page): Promise<Posted[]> => figmaState(page, 'figma.posted')

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
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  const open = (o: OpenOptions = {}) => openPlugin(browser.browser, harness, o)

  it('opens with a generated grid without any click, in designer words; remembers model, class and seed for next time', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8, { vectors: true })
    for (let i = 0; i < 8; i++) expect((await canvasStats(ui, '[data-testid=variant]', i)).ink).toBeGreaterThan(0)
    expect(await selectedChips(ui)).toEqual(['star'])
    expect(await gridSeeds(ui)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(await ui.getAttribute('[data-testid=preview]', 'data-kind')).toBe('vector')
    // No developer words in prime space; the details are behind ⓘ.
    const words = await ui.evaluate(() => document.body.innerText)
    for (const w of [/wasm/i, /\blatent\b/i, /temperature/i, /\bz\d+\b/, /\bKL\b/, /nats/, /runtime/i]) expect(words).not.toMatch(w)
    expect(words).toMatch(/Randomness/)
    expect(words).toMatch(/Style 1/)
    await ui.click('[data-testid=info]')
    expect(await ui.textContent('[data-testid=backend]')).toBe('wasm')
    expect(await ui.textContent('[data-testid=advanced]')).toMatch(/Style 1 = z1 \(2\.50\)/)
    await ui.click('[data-testid=info]')

    await ui.click('[data-testid=model-glyphs]')
    await waitForGrid(ui, 8)
    expect(await selectedChips(ui)).toEqual(['A'])
    await ui.locator('[data-testid=class-chip][data-label=B]').click()
    await setNumberField(ui, 'seed', 84582)
    await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(84582)
    await expect
      .poll(() => figmaState<{ model: string; models: Record<string, { class: string; seed: number }> } | undefined>(page, `figma.storage.get(${JSON.stringify(STORAGE.settings)})`), { timeout: 10_000 })
      .toMatchObject({ model: 'glyphs', models: { glyphs: { class: 'B', seed: 84582 }, icons: { class: 'star', seed: 1 } } })
    const storage = await figmaState<Record<string, unknown>>(page, 'Object.fromEntries(figma.storage)')
    await page.close()

    const again = await open({ storage })
    await waitForGrid(again.ui, 8)
    expect(await again.ui.getAttribute('[data-testid=model-glyphs]', 'aria-pressed')).toBe('true')
    expect(await selectedChips(again.ui)).toEqual(['B'])
    expect(Number(await again.ui.inputValue('[data-testid=seed]'))).toBe(84582)
    expect((await gridSeeds(again.ui))[0]).toBe(84582)
    expect((await posted(again.page)).filter((m) => m.type === 'insert')).toEqual([])
    await again.page.close()
  }, T)

  it('search: multi-word synonyms and separators are normalised, ranked; no match is a clear state with Generate disabled', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    await ui.fill('[data-testid=class-search]', 'alarm bell')
    expect(await selectedChips(ui)).toEqual(['bell'])
    expect(await ui.locator('[data-testid=class-chip]').allTextContents()).toEqual(['bell · alarm bell'])
    await expect.poll(() => ui.locator('[data-testid=variant]').first().getAttribute('title'), { timeout: T }).toMatch(/^bell/)
    await ui.fill('[data-testid=class-search]', 'Alarm-Bell')
    expect(await selectedChips(ui)).toEqual(['bell'])
    await ui.fill('[data-testid=class-search]', 'hous')
    expect(await selectedChips(ui)).toEqual(['home'])
    await ui.fill('[data-testid=class-search]', 'zzz')
    await ui.waitForSelector('[data-testid=no-class]')
    expect(await ui.textContent('[data-testid=no-class]')).toMatch(/No icon matches “zzz”/)
    expect(await ui.isDisabled('[data-testid=generate]')).toBe(true)
    expect(await selectedChips(ui)).toEqual([])
    await ui.press('[data-testid=class-search]', 'Enter')
    await page.waitForTimeout(400)
    // Enter with no match makes nothing: the grid still shows the last class that matched.
    expect(await ui.locator('[data-testid=variant]').first().getAttribute('title')).toMatch(/^(bell|home)/)
    await ui.fill('[data-testid=class-search]', '')
    expect(await ui.isDisabled('[data-testid=generate]')).toBe(false)
    expect((await selectedChips(ui)).length).toBe(1)
    await page.close()
  }, T)

  it('the big preview is the vector Insert places (IoU ≥ 0.98 at the preview size); sliders draw bitmaps while moving, then the trace', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    await ui.locator('[data-testid=variant]').nth(2).click()
    await ui.waitForSelector('[data-testid=preview][data-kind=vector]', { timeout: T })
    await ui.click('[data-testid=size-32]')
    await ui.click('[data-testid=insert]')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => m.type === 'inserted'), null, { timeout: T })
    const preview = await ui.locator('[data-testid=preview]').evaluate((c: HTMLCanvasElement) => ({ w: c.width, alpha: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 3)) }))
    const node = await figmaState<{ type: string; width: number; path: string; units: number }>(page, `(() => { const n = figma.currentPage.children[0]; const v = n.children[0]; return { type: n.type, width: n.width, path: v.path, units: n.width / v.pathScale } })()`)
    expect(node).toMatchObject({ type: 'FRAME', width: 32 })
    expect(preview.w).toBeGreaterThan(64)
    // The inserted vector, rendered by Chromium's SVG renderer at the preview canvas's pixel size.
    const iou = (await page.evaluate(
      async ([p, w, alpha]) => {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${w}" viewBox="0 0 ${p.units} ${p.units}"><path d="${p.path}" fill="#000" fill-rule="evenodd"/></svg>`
        const img = new Image()
        img.src = `data:image/svg+xml;base64,${btoa(svg)}`
        await img.decode()
        const c = document.createElement('canvas')
        c.width = c.height = w
        const ctx = c.getContext('2d')!
        ctx.drawImage(img, 0, 0, w, w)
        const d = ctx.getImageData(0, 0, w, w).data
        let inter = 0
        let union = 0
        for (let i = 0; i < w * w; i++) {
          const a = d[i * 4 + 3]! >= 128
          const b = alpha[i]! >= 128
          if (a && b) inter++
          if (a || b) union++
        }
        return { inter, union }
      },
      [node, preview.w, preview.alpha] as const,
    )) as { inter: number; union: number }
    expect(iou.union).toBeGreaterThan(100)
    expect(iou.inter / iou.union).toBeGreaterThanOrEqual(0.98)

    // Dragging: bitmaps on the hot path, then the traced vector of the new shape.
    const before = await canvasStats(ui, '[data-testid=preview]')
    await ui.evaluate(() => {
      const w = window as unknown as { kinds: string[] }
      w.kinds = []
      document.addEventListener('latentype:painted', () => w.kinds.push(document.querySelector('[data-testid=preview]')!.getAttribute('data-kind')!))
    })
    await ui.locator('[data-testid=latent-slider][data-dim="1"]').fill('2.5')
    await ui.waitForFunction(() => (window as unknown as { kinds: string[] }).kinds.length > 0, null, { timeout: T })
    expect(await ui.evaluate(() => (window as unknown as { kinds: string[] }).kinds[0])).toBe('bitmap')
    await ui.waitForSelector('[data-testid=preview][data-kind=vector]', { timeout: T })
    expect((await canvasStats(ui, '[data-testid=preview]')).hash).not.toBe(before.hash)
    await page.close()
  }, T)

  it('sliders: named ones first, then Style 1, 2, … by card.latentKl; more styles in place; lock and reset', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 4 * 2)
    expect(await ui.locator('[data-testid^=dir-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['dir-weight', 'dir-slant'])
    const dims = () => ui.locator('[data-testid=latent-slider]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-dim'))))
    expect(await dims()).toEqual(FIXTURE_SLIDER_ORDER.slice(0, 4))
    await ui.click('[data-testid=more-styles]')
    expect(await dims()).toEqual(FIXTURE_SLIDER_ORDER)
    expect(await ui.locator('.slider .name').allTextContents()).toEqual(['Weight', 'Slant', ...FIXTURE_SLIDER_ORDER.map((_, i) => `Style ${i + 1}`)])

    const slider = ui.locator('[data-testid=latent-slider][data-dim="1"]')
    const original = Number(await slider.inputValue())
    await slider.fill('2.5')
    // The named "Weight" slider moves z1 and z3 together; z1 is then 3.5, shown clamped to the range end.
    await ui.locator('[data-testid=dir-weight]').fill('1')
    await expect.poll(async () => Number(await slider.inputValue()), { timeout: 5000 }).toBe(3)
    const locked = Number(await slider.inputValue())
    await ui.locator('.slider', { has: ui.locator('[data-dim="1"]') }).locator('[data-testid=lock]').click()
    const firstBefore = await ui.locator('[data-testid=variant]').first().getAttribute('data-seed')
    await ui.click('[data-testid=shuffle]')
    await expect.poll(() => ui.locator('[data-testid=variant]').first().getAttribute('data-seed'), { timeout: T }).not.toBe(firstBefore)
    // The seed field shows the new seed; the locked dimension kept its value.
    expect(await ui.inputValue('[data-testid=seed]')).toBe(await ui.locator('[data-testid=variant]').first().getAttribute('data-seed'))
    expect(Number(await slider.inputValue())).toBeCloseTo(locked, 5)
    await slider.fill('-1')
    await ui.click('[data-testid=reset]')
    expect(Number(await slider.inputValue())).toBeCloseTo(locked, 5)
    expect(original).not.toBe(locked)
    await page.close()
  }, T)

  it('keyboard and blend: arrows, Space, Blend shows the strip in view, a plain-click blend mode; Enter inserts a named group', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    const gridEl = ui.locator('[data-testid=grid]')
    await gridEl.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowDown')
    expect(await ui.locator('[data-testid=variant]').nth(5).getAttribute('class')).toContain('focus')
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Space')
    expect(await ui.locator('[data-testid=variant][aria-selected=true]').count()).toBe(2)
    expect(await ui.textContent('[data-testid=interpolate]')).toMatch(/Blend 2/)
    await ui.click('[data-testid=interpolate]')
    await ui.waitForFunction(() => document.querySelectorAll('[data-testid=strip] canvas').length === 8, null, { timeout: T })
    // The strip is visible in the 640 px window without scrolling.
    const box = await ui.locator('[data-testid=strip]').boundingBox()
    expect(box!.y + box!.height).toBeLessThan(640 - 60)
    expect(await ui.textContent('[data-testid=strip]')).toMatch(/Blend from #5 to #6/)
    await gridEl.focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => m.type === 'inserted' || m.type === 'error'), null, { timeout: T })
    expect((await posted(page)).find((m) => m.type === 'error')).toBeUndefined()
    const doc = await docOf(page)
    expect(doc).toHaveLength(1)
    const group = doc[0]!
    expect(group.name).toBe('latentype/fixture-icons/star')
    expect(group.children.map((c) => c.name)).toEqual(['latentype/fixture-icons/star/seed-5', 'latentype/fixture-icons/star/seed-6'])
    for (const c of group.children) {
      expect(c.children.length).toBeGreaterThan(0)
      expect(c.relaunch).toEqual(['edit'])
      expect(JSON.parse(c.data)).toMatchObject({ v: 1, model: 'fixture-icons', modelKey: 'icons', class: 'star', temperature: 1 })
    }
    expect(await figmaState(page, 'figma.currentPage.selection.map(n => n.name)')).toEqual([group.name])

    // Blend mode: plain clicks pick two, and the blend appears.
    await ui.click('[data-testid=close-strip]')
    await ui.click('[data-testid=interpolate]')
    expect(await ui.textContent('[data-testid=blend-hint]')).toMatch(/Click two variations/)
    await ui.locator('[data-testid=variant]').nth(0).click()
    await ui.locator('[data-testid=variant]').nth(7).click()
    await ui.waitForFunction(() => document.querySelectorAll('[data-testid=strip] canvas').length === 8, null, { timeout: T })
    expect(await ui.textContent('[data-testid=strip]')).toMatch(/Blend from #1 to #8/)
    await ui.locator('[data-testid=strip-step]').nth(3).click()
    await waitForGrid(ui, 9)
    await page.close()
  }, T)

  it('inserts like icon plugins: px preset, a colour style, as components, with a figma.notify toast (no banner)', async () => {
    const paintStyles = [{ id: 'S:brand', name: 'Brand/Primary', paints: [{ type: 'SOLID', color: { r: 0.8, g: 0.1, b: 0.2 } }] }]
    const { page, ui } = await open({ paintStyles })
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=size-20]')
    await ui.selectOption('[data-testid=fill-mode]', 'style:S:brand')
    await ui.check('[data-testid=as-component]')
    await ui.locator('[data-testid=variant]').nth(1).click({ modifiers: ['Shift'] })
    await ui.locator('[data-testid=variant]').nth(2).click({ modifiers: ['Shift'] })
    expect(await ui.textContent('[data-testid=insert]')).toBe('Insert 2')
    await ui.click('[data-testid=insert]')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => m.type === 'inserted'), null, { timeout: T })
    const [group] = await docOf(page)
    expect(group!.children.map((c) => [c.type, c.width, c.height, c.x])).toEqual([
      ['COMPONENT', 20, 20, 0],
      ['COMPONENT', 20, 20, 25],
    ])
    for (const c of group!.children) {
      expect(c.children[0]!.fillStyleId).toBe('S:brand')
      expect(c.relaunch).toEqual(['edit'])
    }
    expect(Number.isInteger(group!.x) && Number.isInteger(group!.y)).toBe(true)
    expect(await notifications(page)).toEqual([{ message: 'Inserted 2 × star as components', error: false }])
    expect(await ui.locator('[data-testid^=banner]').count()).toBe(0)
    // The insert options are remembered.
    await expect.poll(() => figmaState(page, `figma.storage.get(${JSON.stringify(STORAGE.settings)})?.insert`), { timeout: 10_000 }).toMatchObject({ size: 20, fillMode: 'style', styleId: 'S:brand', asComponent: true })

    // A plain colour, and the selection's fill.
    await ui.uncheck('[data-testid=as-component]')
    await ui.locator('[data-testid=color]').evaluate((el: HTMLInputElement) => {
      el.value = '#00aa55'
      el.dispatchEvent(new Event('input', { bubbles: true }))
    })
    await ui.locator('[data-testid=variant]').nth(3).click()
    await ui.click('[data-testid=insert]')
    await expect.poll(async () => (await docOf(page)).length, { timeout: T }).toBe(2)
    const single = (await docOf(page))[1]!
    expect(single.type).toBe('FRAME')
    expect(single.children[0]!.fills).toEqual([{ type: 'SOLID', color: { r: 0, g: 0xaa / 255, b: 0x55 / 255 } }])
    await page.close()
  }, T)

  it('replace in place keeps the layer\'s parent, order, size, position and fill (one undo step)', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=insert]')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => m.type === 'inserted'), null, { timeout: T })
    // The designer moved it into a card, scaled it to 36 px, recoloured it and selected it.
    await page.evaluate(`(() => {
      const old = figma.currentPage.children[0]
      const card = figma.node('FRAME', 'Card', 300, 200)
      figma.currentPage.append(card)
      card.appendChild(figma.node('TEXT', 'Label', 80, 16))
      card.insertChild(0, old)
      old.rescale(36 / old.width); old.x = 17; old.y = 23
      old.children[0].fills = [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }]
      window.oldId = old.id
      figma.select([old])
    })()`)
    await ui.waitForSelector('[data-testid=replace]')
    await ui.locator('[data-testid=variant]').nth(4).click()
    const undo = await figmaState<number>(page, 'figma.undoCommits')
    await ui.click('[data-testid=replace]')
    await page.waitForFunction(() => (window as unknown as { figma: { posted: { type: string; replaced?: boolean }[] } }).figma.posted.some((m) => m.type === 'inserted' && m.replaced), null, { timeout: T })
    const [card] = await docOf(page)
    expect(card!.children.map((c) => c.name)).toEqual(['latentype/fixture-icons/star/seed-5', 'Label'])
    const now = card!.children[0]!
    expect([now.type, now.x, now.y, now.width, now.height]).toEqual(['FRAME', 17, 23, 36, 36])
    expect(now.children[0]!.fills).toEqual([{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }])
    expect(JSON.parse(now.data)).toMatchObject({ seed: 5, class: 'star' })
    expect(await figmaState(page, 'figma.undoCommits')).toBe(undo + 1)
    expect((await notifications(page)).at(-1)).toEqual({ message: 'Replaced with star · seed 5', error: false })
    await page.close()
  }, T)

  it('per-model state survives a model switch: class, seed, grid, focus and edits', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    await ui.locator('[data-testid=class-chip][data-label=home]').click()
    await setNumberField(ui, 'seed', 777)
    await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(777)
    await ui.locator('[data-testid=variant]').nth(2).click()
    await ui.locator('[data-testid=latent-slider][data-dim="3"]').fill('1.75')
    const iconSeeds = await gridSeeds(ui)

    await ui.click('[data-testid=model-glyphs]')
    await waitForGrid(ui, 8)
    expect(await gridSeeds(ui)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(Number(await ui.inputValue('[data-testid=seed]'))).toBe(1)
    await setNumberField(ui, 'seed', 5)
    await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(5)

    await ui.click('[data-testid=model-icons]')
    await waitForGrid(ui, 8)
    expect(await gridSeeds(ui)).toEqual(iconSeeds)
    expect(await selectedChips(ui)).toEqual(['home'])
    expect(Number(await ui.inputValue('[data-testid=seed]'))).toBe(777)
    expect(await ui.locator('[data-testid=variant]').nth(2).getAttribute('class')).toContain('focus')
    expect(Number(await ui.locator('[data-testid=latent-slider][data-dim="3"]').inputValue())).toBeCloseTo(1.75, 5)
    await ui.click('[data-testid=model-glyphs]')
    expect((await gridSeeds(ui))[0]).toBe(5)
    await page.close()
  }, T)

  it('fits 380×640 with no nested scroll areas; the window can be resized and its size is remembered', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8, { vectors: true })
    const scrollers = () =>
      ui.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((e) => /auto|scroll/.test(getComputedStyle(e).overflowY) || /auto|scroll/.test(getComputedStyle(e).overflowX))
          .map((e) => ({ id: e.dataset.testid ?? e.className, overflows: e.scrollHeight > e.clientHeight + 1 })),
      )
    // The main area is the only scroll area, and the default view fits without scrolling.
    expect(await scrollers()).toEqual([{ id: 'main', overflows: false }])
    expect(await ui.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(640)
    // Named slider labels do not wrap.
    for (const h of await ui.locator('.slider .name').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(h).toBeLessThanOrEqual(16)
    await ui.click('[data-testid=model-glyphs]')
    await waitForGrid(ui, 8)
    expect(await scrollers()).toEqual([{ id: 'main', overflows: false }])
    // Expanding puts more in the one scroll area, nothing scrolls inside it.
    await ui.click('[data-testid=more-styles]')
    expect((await scrollers()).map((s) => s.id)).toEqual(['main'])

    const handle = (await ui.locator('[data-testid=resize]').boundingBox())!
    await page.mouse.move(handle.x + 7, handle.y + 7)
    await page.mouse.down()
    await page.mouse.move(handle.x - 10, handle.y - 40, { steps: 4 })
    await page.mouse.move(handle.x - 23, handle.y - 73, { steps: 4 })
    await page.mouse.up()
    await expect.poll(() => figmaState(page, `figma.storage.get(${JSON.stringify(STORAGE.window)})`), { timeout: 10_000 }).toEqual({ width: 350, height: 560 })
    expect((await figmaState<{ width: number; height: number }[]>(page, 'figma.resizes')).at(-1)).toEqual({ width: 350, height: 560 })
    // Narrower: still no scroll area but the main one.
    expect((await scrollers()).map((s) => s.id)).toEqual(['main'])
    const storage = await figmaState<Record<string, unknown>>(page, 'Object.fromEntries(figma.storage)')
    await page.close()
    const again = await open({ storage })
    // Shown at the remembered size (or resized to it as soon as storage answers, before the UI has loaded).
    expect(await figmaState(again.page, 'figma.resizes.at(-1) ?? figma.shown.options')).toMatchObject({ width: 350, height: 560 })
    await again.page.close()
  }, T)

  it('a model file of random bytes says what it is and what to do (details behind a disclosure); the UI stays usable', async () => {
    const { page, ui } = await open()
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=info]')
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))
    await ui.setInputFiles('[data-testid=open-model]', { name: 'junk.onnx', mimeType: 'application/octet-stream', buffer: junk })
    await ui.waitForSelector('[data-testid=banner-error]', { timeout: T })
    const msg = await ui.textContent('[data-testid=banner-message]')
    expect(msg).toMatch(/“junk\.onnx” is not a model file latentype can read.*Open a \.onnx model made with latentype/)
    expect(msg).not.toMatch(/wire type|protobuf/)
    expect(await ui.textContent('[data-testid=banner-details]')).toMatch(/not a readable ONNX model/)
    await ui.click('[data-testid=model-glyphs]')
    await waitForGrid(ui, 8)
    expect(await selectedChips(ui)).toEqual(['A'])
    await page.close()
  }, T)

  it('the relaunch command opens the stored variant for editing, with its real seed', async () => {
    const data = { v: 1, model: 'fixture-icons', modelKey: 'icons', class: 'star', seed: 84582, temperature: 0.8, latent: [0.1, -0.5, 1, 0, 0.2, 0, -1, 0.3] }
    const setup = `const n = new FakeNode('FRAME', 'latentype/fixture-icons/star/seed-84582', 48, 48); n.setPluginData('latentype', ${JSON.stringify(JSON.stringify(data))}); figma.currentPage.append(n); figma.currentPage.selection = [n];`
    const { page, ui } = await open({ command: 'edit', setup })
    await ui.waitForSelector('[data-testid=preview]', { timeout: T })
    expect(Number(await ui.inputValue('[data-testid=seed]'))).toBe(84582)
    expect(await ui.textContent('[data-testid=editor]')).toMatch(/star#84582/)
    expect(Number(await ui.locator('[data-testid=latent-slider][data-dim="6"]').inputValue())).toBeCloseTo(-1, 5)
    await expect.poll(() => notifications(page), { timeout: T }).toEqual([{ message: 'Editing star · seed 84582', error: false }])
    expect(await ui.isVisible('[data-testid=replace]')).toBe(true)
    await page.close()
  }, T)

  it('the quick action generates and inserts without a visible UI, then closes', async () => {
    const page = (await open({ command: 'generate', parameters: { model: 'icons', class: 'bell', count: '3' } })).page
    await page.waitForFunction(() => (window as unknown as { figma: { closed: boolean } }).figma.closed, null, { timeout: T })
    const r = await figmaState<{ shown: unknown; names: string[]; notes: { message: string; error: boolean }[] }>(
      page,
      `({ shown: figma.shown.options, names: figma.currentPage.children.flatMap(g => g.children.map(c => c.name)), notes: figma.notifications })`,
    )
    expect(r.shown).toEqual({ visible: false })
    expect(r.notes).toEqual([{ message: 'Inserted 3 × bell', error: false }])
    expect(r.names).toHaveLength(3)
    expect(r.names[0]).toMatch(/^latentype\/fixture-icons\/bell\/seed-\d+$/)
    await page.close()
  }, T)

  it('the WebGPU-first build (--runtime all) falls back to wasm in Figma\'s frame and says why (under ⓘ)', async () => {
    const models = writeFixtureModels(tmp)
    const report = await buildPlugin({ out: join(tmp, 'dist-all'), models: [models.icons], runtime: 'all', quiet: true })
    const h = await startHarness(join(tmp, 'dist-all'), ROOT)
    const { page, ui } = await openPlugin(browser.browser, h)
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=info]')
    expect(await ui.textContent('[data-testid=backend-reason]')).toMatch(/navigator\.gpu is missing/)
    expect(report.totalBytes).toBeGreaterThan(7 * 1024 * 1024)
    expect(report.totalBytes).toBeLessThan(15 * 1024 * 1024)
    await page.close()
    await h.close()
  }, T)

  it('screenshots of the shipped build, light and dark, and of the document after inserting a row of icons and the alphabet', async () => {
    // Set UPDATE_SCREENSHOTS=1 to refresh docs/plugin-light.png, plugin-dark.png and plugin-document.png.
    const out = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(tmp, 'shots')
    mkdirSync(out, { recursive: true })
    await buildPlugin({ out: join(tmp, 'dist-shipped'), quiet: true })
    const shipped = await startHarness(join(tmp, 'dist-shipped'), ROOT)
    for (const theme of ['light', 'dark'] as const) {
      const { page, ui } = await openPlugin(browser.browser, shipped, { theme })
      await waitForGrid(ui, 8)
      if (theme === 'dark') {
        await ui.click('[data-testid=model-glyphs]')
        await waitForGrid(ui, 8)
        await ui.fill('[data-testid=class-search]', 'R')
        await expect.poll(() => ui.locator('[data-testid=variant]').first().getAttribute('title'), { timeout: T }).toMatch(/^R ·/)
        await ui.fill('[data-testid=class-search]', '')
        await setNumberField(ui, 'seed', 21)
        await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(21)
      }
      await ui.locator('[data-testid=variant]').nth(1).click()
      await ui.locator('[data-testid=variant]').nth(3).click({ modifiers: ['Shift'] })
      await waitForGrid(ui, 8, { vectors: true })
      await ui.waitForSelector('[data-testid=preview][data-kind=vector]', { timeout: T })
      await ui.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      await page.screenshot({ path: join(out, `plugin-${theme}.png`) })
      await page.close()
    }

    // The document: a row of icons in one style at 32 px, then the alphabet at 32 px (26 columns: A–Z, a–z, 0–9).
    const { page, ui } = await openPlugin(browser.browser, shipped)
    await waitForGrid(ui, 8)
    await ui.click('[data-testid=size-32]')
    // the style of the grid's fourth star (an outline star; the third of this grid is a box-like miss, whose style
    // draws every icon as a box — models/README.md)
    await ui.locator('[data-testid=variant]').nth(3).click()
    await ui.click('[data-testid=all-classes]')
    await waitForGrid(ui, 128)
    const row = ['home', 'search', 'heart', 'star', 'bell', 'user', 'settings', 'camera', 'lock', 'cloud', 'folder', 'trash']
    for (const label of row) await ui.locator(`[data-testid=variant][title^="${label} —"]`).click({ modifiers: ['Shift'] })
    await ui.click('[data-testid=insert]')
    await expect.poll(async () => (await docOf(page)).length, { timeout: T }).toBe(1)
    await ui.click('[data-testid=model-glyphs]')
    await waitForGrid(ui, 8)
    await setNumberField(ui, 'seed', 21)
    await expect.poll(async () => (await gridSeeds(ui))[0], { timeout: T }).toBe(21)
    await ui.click('[data-testid=all-classes]')
    await waitForGrid(ui, 62)
    await ui.click('[data-testid=insert-all]')
    await expect.poll(async () => (await docOf(page)).length, { timeout: T }).toBe(2)
    // Stack the two groups as a designer would on the canvas.
    await page.evaluate(`(() => { const [row, abc] = figma.currentPage.children; row.x = abc.x; row.y = abc.y - row.height - 40 })()`)
    const doc = await docOf(page)
    expect(doc[0]!.children.map((c) => c.name.split('/')[2]).sort()).toEqual([...row].sort())
    expect(new Set(doc[0]!.children.map((c) => c.y)).size).toBe(1)
    expect(doc[1]!.children).toHaveLength(62)
    expect(doc[1]!.children.map((c) => c.name.split('/')[2]).join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')
    const shot = await screenshotDocument(browser.browser, page, join(out, 'plugin-document.png'), { scale: 2 })
    expect(shot.width).toBeGreaterThan(26 * 32)
    await page.close()
    await shipped.close()
  }, 240_000)
})
