/**
 * Style from selection with real input, end to end: the shipped build (trained glyph model) in headless
 * Chromium, a selected text node whose PNG export is a real Roboto "R" — Light (300) in one run, Bold (700) in
 * the other. The weight must carry: every class drawn from the bold R has more ink than the same class drawn
 * from the light R. (Measured in Node with the same model: 1.9× the ink overall, every class heavier, the
 * closest class 1.66×. A UI that ignored the PNG, encoded the wrong image or the wrong class would not pass.)
 * The ink is read from the grid as the designer sees it: every cell showing its traced vector (what Insert places).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin } from '../../scripts/build-plugin.js'
import { fontLayout, parseWoff2, renderGlyph } from '../../scripts/data/fonts.js'
import { encodePng } from '../../sdk/image/png.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'
import { figmaState, inkPerCell, notifications, openPlugin, startHarness, waitForGrid, waitForPosted, type Harness } from './harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const skip = chromiumSkipReason()
const T = 180_000

/** Roboto `ch` at `weight` as Figma exports a selected text node: black ink on transparent, 256 px. */
async function robotoPng(ch: string, weight: 300 | 700): Promise<number[]> {
  const font = await parseWoff2(new Uint8Array(readFileSync(join(ROOT, `tests/fixtures/fonts/roboto/files/roboto-latin-${weight}-normal.woff2`))))
  const cov = renderGlyph(font, ch, fontLayout(font, 256, 16), 256)
  const rgba = new Uint8Array(256 * 256 * 4)
  for (let i = 0; i < cov.data.length; i++) rgba[i * 4 + 3] = Math.round(cov.data[i]! * 255)
  return Array.from(encodePng({ width: 256, height: 256, data: rgba }))
}

describe.skipIf(skip)('style from selection carries the weight of a real glyph (shipped glyph model, Chromium)', () => {
  let tmp: string
  let browser: LaunchedBrowser
  let harness: Harness

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'latentype-ui-style-'))
    await buildPlugin({ out: join(tmp, 'dist'), quiet: true })
    harness = await startHarness(join(tmp, 'dist'), ROOT)
    browser = await launchChromium()
  }, T)

  afterAll(async () => {
    await browser?.close()
    await harness?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  /**
   * Selects a text node "R" exporting `png`, runs Match selection, returns the mean ink of each class's cell;
   * with `insert`, also inserts them all and returns the inserted layers' names.
   */
  async function styleInk(png: number[], insert = false): Promise<{ ink: Map<string, number>; names: string[] }> {
    const setup = `const n = new FakeNode('TEXT', 'R', 60, 80); n.characters = 'R'; n.exportPng = () => new Uint8Array(${JSON.stringify(png)}); figma.currentPage.append(n); figma.currentPage.selection = [n];`
    const { page, ui } = await openPlugin(browser.browser, harness, { setup })
    await waitForGrid(ui, 8, { timeout: T })
    await ui.click('[data-testid=model-glyphs]')
    await expect.poll(() => ui.locator('[data-testid=variant]').first().getAttribute('title'), { timeout: T }).toMatch(/^A · seed/)
    await ui.waitForSelector('[data-testid=style]:not([disabled])', { timeout: T })
    await ui.click('[data-testid=style]')
    await waitForGrid(ui, 62, { vectors: true, timeout: T })
    await expect.poll(() => notifications(page), { timeout: 10_000 }).toContainEqual({ message: 'Read “R” as R: 62 classes in its style', error: false })
    const cells = await inkPerCell(ui)
    let names: string[] = []
    if (insert) {
      await ui.click('[data-testid=insert-all]')
      await waitForPosted(page, ['inserted', 'error'], T)
      names = await figmaState<string[]>(page, 'figma.currentPage.children.filter(n => n.type === "GROUP").flatMap(g => g.children.map(c => c.name))')
    }
    await page.close()
    return { ink: new Map(cells), names }
  }

  it('a bold R gives heavier glyphs than a light R, class by class', async () => {
    const light = (await styleInk(await robotoPng('R', 300))).ink
    const { ink: bold, names } = await styleInk(await robotoPng('R', 700), true)
    expect([...bold.keys()]).toEqual([...light.keys()])
    expect(bold.size).toBe(62)
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)
    const ratios = [...bold].map(([k, v]) => v / light.get(k)!)
    console.log(`ink bold/light: overall ${(total(bold) / total(light)).toFixed(2)}×, per class min ${Math.min(...ratios).toFixed(2)}×`)
    for (const v of light.values()) expect(v).toBeGreaterThan(0)
    expect(total(bold) / total(light)).toBeGreaterThan(1.4)
    expect(Math.min(...ratios)).toBeGreaterThan(1.15)
    // Insert all places the 62 styled glyphs, each named by its source layer.
    expect(names).toHaveLength(62)
    expect(names.slice(0, 3)).toEqual(['A', 'B', 'C'].map((l) => `latentype/glyphs/${l}/style-of-R`))
    expect(names.every((n) => n.endsWith('/style-of-R'))).toBe(true)
  }, T)
})
