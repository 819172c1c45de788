/**
 * `npm run bench:ui`: the plugin UI in headless Chromium, loaded as Figma loads it (null-origin data: iframe,
 * wasm — Figma exposes no WebGPU), with the models the build ships. The issue #14 measures:
 * - cold: plugin open (showUI) → first grid of 8 painted — the plugin opens on a generated grid, no click
 * - slider: input event → preview pixels written (p50/p95 over 100 moves; the bitmap hot path)
 * - generate 16: Shuffle clicked → 16 new variants painted (p50 of 5)
 * - insert 62 glyphs: the alphabet of one style → Insert all clicked → main thread built the 62 nodes
 *   (tracing included for any glyph the background tracer had not reached yet)
 * Peer, measured in the same run: the bare decoder call for one latent (onnxruntime-web wasm in Node, 1 thread);
 * every measure is also printed as a ratio to it, since machines differ.
 * Goals: cold ≤ 1.5 s, slider p95 ≤ 16 ms, generate 16 ≤ 100 ms, insert 62 ≤ 300 ms. Prints one JSON line, then
 * a table. `npm run bench:ui -- --runtime all` measures the WebGPU+wasm ORT build instead of the wasm-only one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Frame, Page } from 'playwright-core'
import { buildPlugin, chooseModels } from '../scripts/build-plugin.js'
import { Generator } from '../sdk/index.js'
import { webBackend } from '../sdk/runtime/web.js'
import { launchChromium } from '../tests/helpers/chromium.js'
import { openPlugin, startHarness } from '../tests/ui/harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const r2 = (x: number): number => Math.round(x * 100) / 100

/**
 * In the UI frame: waits (rAF polling) until `n` variant canvases have ink and the first one is not seed
 * `notSeed` (a new grid); returns the epoch ms.
 */
// Browser-side code is passed as strings: tsx's transform would inject helpers (__name) that the page lacks.
const gridPainted = (ui: Frame, n: number, notSeed = ''): Promise<number> =>
  ui.evaluate(`new Promise((done) => {
    const check = () => {
      const cells = [...document.querySelectorAll('[data-testid=variant]')]
      const cs = cells.map((c) => c.querySelector('canvas'))
      const fresh = cells.length > 0 && cells[0].getAttribute('data-seed') !== ${JSON.stringify(notSeed)}
      const inked = fresh && cs.length === ${n} && cs.every((c) => c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0))
      if (inked) done(performance.timeOrigin + performance.now())
      else requestAnimationFrame(check)
    }
    check()
  })`) as Promise<number>

/** Epoch ms at which the fake Figma main thread posted its n-th `inserted` message. */
const insertedAt = (page: Page, n: number): Promise<number> =>
  page.evaluate(`new Promise((done) => {
    const check = () => figma.posted.filter((m) => m.type === 'inserted').length >= ${n} ? done(performance.timeOrigin + performance.now()) : setTimeout(check, 1)
    check()
  })`) as Promise<number>

async function peerDecodeMs(modelPath: string): Promise<number> {
  const gen = await Generator.load(modelPath, { backend: webBackend({ numThreads: 1 }) })
  const z = gen.sample({ class: 0, n: 1, seed: 1 })
  for (let i = 0; i < 20; i++) await gen.decode(z, 0)
  const t: number[] = []
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now()
    await gen.decode(z, 0)
    t.push(performance.now() - t0)
  }
  await gen.dispose()
  return pct(t, 50)
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'latentype-bench-ui-'))
  const models = chooseModels()
  const runtime = process.argv.includes('all') ? 'all' : 'wasm'
  const build = await buildPlugin({ out: join(tmp, 'dist'), models, runtime, quiet: true })
  const harness = await startHarness(join(tmp, 'dist'), ROOT)
  const browser = await launchChromium()
  try {
    const colds: number[] = []
    for (let run = 0; run < 3; run++) {
      // A fresh page and empty figma.clientStorage each time: the default model and class, nothing clicked.
      const { page, ui } = await openPlugin(browser.browser, harness)
      const shownAt = (await page.evaluate('performance.timeOrigin + window.__shownAt')) as number
      colds.push((await gridPainted(ui, 8)) - shownAt)
      if (run < 2) {
        await page.close()
        continue
      }
      // Slider: 100 moves on the most important style dimension, each timed to the preview repaint.
      const slider = (await ui.evaluate(`(async () => {
        const input = document.querySelector('[data-testid=latent-slider]')
        const times = []
        for (let i = 0; i < 110; i++) {
          const painted = new Promise((r) => document.addEventListener('latentype:painted', () => r(), { once: true }))
          const t0 = performance.now()
          input.value = String(-2.5 + ((i * 0.37) % 5))
          input.dispatchEvent(new Event('input', { bubbles: true }))
          await painted
          if (i >= 10) times.push(performance.now() - t0)
        }
        return times
      })()`)) as number[]
      // Generate 16: the count field regenerates on change; then Shuffle, timed to the new grid's paint.
      await ui.fill('[data-testid=count]', '16')
      await ui.locator('[data-testid=count]').dispatchEvent('change')
      await ui.waitForFunction('document.querySelectorAll("[data-testid=variant]").length === 16')
      const gens: number[] = []
      for (let i = 0; i < 5; i++) {
        await page.waitForTimeout(300)
        const before = (await ui.getAttribute('[data-testid=variant]', 'data-seed')) ?? ''
        const t0 = (await ui.evaluate(`(() => {
          const t = performance.timeOrigin + performance.now()
          document.querySelector('[data-testid=shuffle]').click()
          return t
        })()`)) as number
        gens.push((await gridPainted(ui, 16, before)) - t0)
      }
      // Insert 62 glyphs: the alphabet of the first glyph variant, Insert all as soon as it is painted.
      let insert62: number | null = null
      let tracedAtClick = 0
      if (build.models.some((m) => m.key === 'glyphs')) {
        await ui.click('[data-testid=model-glyphs]')
        await ui.waitForFunction('document.querySelectorAll("[data-testid=variant]").length > 0 && document.querySelector("[data-testid=model-glyphs]").getAttribute("aria-pressed") === "true"')
        const n = build.models.find((m) => m.key === 'glyphs')!.classes.length
        await ui.click('[data-testid=all-classes]')
        await ui.waitForFunction(`document.querySelectorAll("[data-testid=variant]").length === ${n}`)
        await gridPainted(ui, n)
        const t0 = (await ui.evaluate(`(() => {
          window.__traced = document.querySelectorAll('[data-testid=variant] canvas[data-kind=vector]').length
          const t = performance.timeOrigin + performance.now()
          document.querySelector('[data-testid=insert-all]').click()
          return t
        })()`)) as number
        insert62 = (await insertedAt(page, 1)) - t0
        tracedAtClick = (await ui.evaluate('window.__traced')) as number
      }
      const peer = await peerDecodeMs(models[0]!)
      const ratio = (x: number | null): number | null => (x === null ? null : r2(x / peer))
      const coldBest = Math.min(...colds)
      const res = {
        bench: 'ui',
        models: build.models.map((m) => `${m.name}${m.trained ? '' : ' (untrained)'}`),
        backend: 'wasm (Figma: no WebGPU)',
        ort_runtime: runtime === 'all' ? 'WebGPU+wasm (jsep)' : 'wasm-only',
        load_avg_1m: r2(loadavg()[0]!),
        cpus: cpus().length,
        cold_first_grid_ms: r2(coldBest),
        cold_first_grid_ms_max: r2(Math.max(...colds)),
        slider_p50_ms: r2(pct(slider, 50)),
        slider_p95_ms: r2(pct(slider, 95)),
        generate16_ms: r2(pct(gens, 50)),
        insert62_ms: insert62 === null ? null : r2(insert62),
        insert62_traced_before_click: tracedAtClick,
        peer_decode1_wasm_node_ms: r2(peer),
        ratio_to_peer: { cold_first_grid: ratio(coldBest), slider_p50: ratio(pct(slider, 50)), slider_p95: ratio(pct(slider, 95)), generate16: ratio(pct(gens, 50)), insert62: ratio(insert62) },
        bundle_total_bytes: build.totalBytes,
        bundle_code_bytes: build.codeBytes,
        bundle_ui_bytes: build.uiBytes,
        figma_limit_pct: r2((100 * build.totalBytes) / (15 * 1024 * 1024)),
        goals: { cold_first_grid_ms: 1500, slider_p95_ms: 16, generate16_ms: 100, insert62_ms: 300 },
      }
      console.log(JSON.stringify(res))
      console.log(`\nplugin UI in headless Chromium (${res.models.join(', ')}; ORT ${res.ort_runtime} build, ${res.backend}; ${res.cpus} cores, load ${res.load_avg_1m})`)
      const x = (v: number | null): string => (v === null ? '—' : `${v}×`)
      const rows: [string, string, string, string][] = [
        ['open → first grid of 8, no click (best / worst of 3)', `${res.cold_first_grid_ms} / ${res.cold_first_grid_ms_max} ms`, x(res.ratio_to_peer.cold_first_grid), '≤ 1500 ms'],
        ['slider move → preview painted p50', `${res.slider_p50_ms} ms`, x(res.ratio_to_peer.slider_p50), ''],
        ['slider move → preview painted p95', `${res.slider_p95_ms} ms`, x(res.ratio_to_peer.slider_p95), '≤ 16 ms'],
        ['generate 16 → grid painted (p50 of 5)', `${res.generate16_ms} ms`, x(res.ratio_to_peer.generate16), '≤ 100 ms'],
        [`insert 62 glyphs → nodes built (${tracedAtClick} traced before)`, insert62 === null ? '— (no glyph model)' : `${res.insert62_ms} ms`, x(res.ratio_to_peer.insert62), '≤ 300 ms'],
        ['peer: bare decode of 1 (ORT wasm, Node)', `${res.peer_decode1_wasm_node_ms} ms`, '1×', ''],
        ['bundle code.js + ui.html', `${(res.bundle_total_bytes / 1048576).toFixed(2)} MB`, '', `${res.figma_limit_pct}% of 15 MB`],
      ]
      console.log(`${'measure'.padEnd(56)}${'value'.padStart(20)}  ${'× decode'.padStart(9)}  goal`)
      for (const [k, v, r, g] of rows) console.log(`${k.padEnd(56)}${v.padStart(20)}  ${r.padStart(9)}  ${g}`)
    }
  } finally {
    await browser.close()
    await harness.close()
    rmSync(tmp, { recursive: true, force: true })
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message)
  process.exit(1)
})
