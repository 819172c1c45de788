/**
 * `npm run bench:ui`: the plugin UI in headless Chromium, loaded as Figma loads it (null-origin data: iframe,
 * wasm — Figma exposes no WebGPU), with the models the build ships.
 * - cold: plugin open (showUI) → model ready, and → first grid of 8 painted (Generate clicked as soon as ready)
 * - slider: input event → preview pixels written (p50/p95 over 100 moves)
 * - generate 16: click → 16 variants painted
 * Peer, measured in the same run: the bare decoder call for one latent (onnxruntime-web wasm in Node, 1 thread).
 * Goals: cold ≤ 1.5 s, slider p95 ≤ 16 ms. Prints one JSON line, then a table.
 * `npm run bench:ui -- --runtime all` measures the WebGPU+wasm ORT build instead of the default wasm-only one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Frame } from 'playwright-core'
import { buildPlugin, chooseModels } from '../scripts/build-plugin.js'
import { Generator } from '../sdk/index.js'
import { webBackend } from '../sdk/runtime/web.js'
import { launchChromium } from '../tests/helpers/chromium.js'
import { openPlugin, startHarness } from '../tests/ui/harness.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const r2 = (x: number): number => Math.round(x * 100) / 100

/** In the UI frame: waits (rAF polling) until `n` variant canvases have ink; returns the epoch ms. */
// Browser-side code is passed as strings: tsx's transform would inject helpers (__name) that the page lacks.
const gridPainted = (ui: Frame, n: number): Promise<number> =>
  ui.evaluate(`new Promise((done) => {
    const check = () => {
      const cs = [...document.querySelectorAll('[data-testid=variant] canvas')]
      const inked = cs.length === ${n} && cs.every((c) => c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0))
      if (inked) done(performance.timeOrigin + performance.now())
      else requestAnimationFrame(check)
    }
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
    const colds: { ready: number; grid: number }[] = []
    for (let run = 0; run < 3; run++) {
      const { page, ui } = await openPlugin(browser.browser, harness)
      const shownAt = (await page.evaluate('performance.timeOrigin + window.__shownAt')) as number
      const readyAt = (await ui.evaluate(`new Promise((done) => {
        const check = () => {
          if (document.querySelector('[data-testid=grid-empty]')) {
            const t = performance.timeOrigin + performance.now()
            document.querySelector('[data-testid=generate]').click()
            done(t)
          } else requestAnimationFrame(check)
        }
        check()
      })`)) as number
      const gridAt = await gridPainted(ui, 8)
      colds.push({ ready: readyAt - shownAt, grid: gridAt - shownAt })
      if (run < 2) await page.close()
      else {
        // Slider: 100 moves on the most important dimension, each timed to the preview repaint.
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
        await ui.fill('[data-testid=count]', '16')
        await ui.locator('[data-testid=count]').dispatchEvent('change')
        const gens: number[] = []
        for (let i = 0; i < 5; i++) {
          const t0 = (await ui.evaluate(`(() => {
            const t = performance.timeOrigin + performance.now()
            document.querySelector('[data-testid=shuffle]').click()
            return t
          })()`)) as number
          await ui.waitForFunction('document.querySelectorAll("[data-testid=variant]").length === 16')
          gens.push((await gridPainted(ui, 16)) - t0)
        }
        const peer = await peerDecodeMs(models[0]!)
        const res = {
          bench: 'ui',
          models: build.models.map((m) => `${m.name}${m.trained ? '' : ' (untrained)'}`),
          backend: 'wasm (Figma: no WebGPU)',
          ort_runtime: runtime === 'all' ? 'WebGPU+wasm (jsep)' : 'wasm-only',
          load_avg_1m: r2(loadavg()[0]!),
          cpus: cpus().length,
          cold_ready_ms: r2(Math.min(...colds.map((c) => c.ready))),
          cold_first_grid_ms: r2(Math.min(...colds.map((c) => c.grid))),
          cold_first_grid_ms_max: r2(Math.max(...colds.map((c) => c.grid))),
          slider_p50_ms: r2(pct(slider, 50)),
          slider_p95_ms: r2(pct(slider, 95)),
          generate16_ms: r2(pct(gens, 50)),
          peer_decode1_wasm_node_ms: r2(peer),
          slider_over_peer: r2(pct(slider, 50) / peer),
          bundle_total_bytes: build.totalBytes,
          bundle_code_bytes: build.codeBytes,
          bundle_ui_bytes: build.uiBytes,
          figma_limit_pct: r2((100 * build.totalBytes) / (15 * 1024 * 1024)),
          goals: { cold_first_grid_ms: 1500, slider_p95_ms: 16 },
        }
        console.log(JSON.stringify(res))
        console.log(`\nplugin UI in headless Chromium (${res.models.join(', ')}; ORT ${res.ort_runtime} build, ${res.backend}; ${res.cpus} cores, load ${res.load_avg_1m})`)
        const rows: [string, string, string][] = [
          ['open → model ready (best of 3)', `${res.cold_ready_ms} ms`, ''],
          ['open → first grid of 8 (best / worst of 3)', `${res.cold_first_grid_ms} / ${res.cold_first_grid_ms_max} ms`, '≤ 1500 ms'],
          ['slider move → preview painted p50', `${res.slider_p50_ms} ms`, ''],
          ['slider move → preview painted p95', `${res.slider_p95_ms} ms`, '≤ 16 ms'],
          ['generate 16 → grid painted (p50 of 5)', `${res.generate16_ms} ms`, ''],
          ['peer: bare decode of 1 (ORT wasm, Node)', `${res.peer_decode1_wasm_node_ms} ms`, `slider/peer ${res.slider_over_peer}×`],
          ['bundle code.js + ui.html', `${(res.bundle_total_bytes / 1048576).toFixed(2)} MB`, `${res.figma_limit_pct}% of 15 MB`],
        ]
        for (const [k, v, g] of rows) console.log(`${k.padEnd(46)}${v.padStart(18)}  ${g}`)
      }
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
