/**
 * Loads the built plugin the way Figma does: a localhost page holds an iframe whose URL is a small data: loader;
 * the page posts the ui.html text to it and the loader document.write()s it (null origin, no isolation). The
 * page also plays Figma's main-thread side: it runs the built code.js against the fake Figma API
 * (tests/plugin/fake-figma.ts, bundled for the browser) and relays pluginMessages both ways.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import type { Browser, Frame, Page } from 'playwright-core'

/** Figma's theme tokens (a subset), as injected when showUI is called with themeColors: true. */
const THEMES = {
  light: { bg: '#ffffff', 'bg-secondary': '#f5f5f5', 'bg-hover': '#f5f5f5', 'bg-selected': '#e5f4ff', 'bg-brand': '#0d99ff', 'bg-danger-secondary': '#ffe2e0', text: '#1e1e1e', 'text-secondary': '#757575', 'text-tertiary': '#b3b3b3', 'text-onbrand': '#ffffff', 'text-danger': '#dc3412', 'text-brand': '#007be5', border: '#e6e6e6', 'border-strong': '#2c2c2c', 'border-selected': '#0d99ff' },
  dark: { bg: '#2c2c2c', 'bg-secondary': '#383838', 'bg-hover': '#383838', 'bg-selected': '#4a5878', 'bg-brand': '#0c8ce9', 'bg-danger-secondary': '#4d2b26', text: '#ffffff', 'text-secondary': '#ffffffb3', 'text-tertiary': '#ffffff66', 'text-onbrand': '#ffffff', 'text-danger': '#fca397', 'text-brand': '#7cc4f8', border: '#444444', 'border-strong': '#ffffffcc', 'border-selected': '#0c8ce9' },
}
export type Theme = keyof typeof THEMES

const LOADER = `data:text/html,${encodeURIComponent('<!doctype html><script>addEventListener("message",function(e){if(e.data&&typeof e.data.__html==="string"){document.open();document.write(e.data.__html);document.close()}})</script>')}`

function harnessPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#888}iframe{border:0;display:block}</style></head><body>
<iframe id="plugin" src="${LOADER}" width="380" height="640"></iframe>
<script>window.__loaderReady = new Promise(function (r) { document.getElementById('plugin').addEventListener('load', r, { once: true }) });</script>
<script src="/fake-figma.js"></script>
<script>
const THEMES = ${JSON.stringify(THEMES)};
window.startFigma = async function (opts) {
  const [html, code] = await Promise.all([fetch('/ui.html').then(r => r.text()), fetch('/code.js').then(r => r.text())]);
  const iframe = document.getElementById('plugin');
  await window.__loaderReady;
  const figma = new FakeFigmaLib.FakeFigma({ command: opts.command, storage: opts.storage, paintStyles: opts.paintStyles });
  window.figma = figma;
  window.FakeNode = FakeFigmaLib.FakeNode;
  figma.showUI = function (uiHtml, options) {
    figma.shown = { html: '(ui.html)', options: options || {} };
    let doc = uiHtml;
    if (options && options.themeColors) {
      const t = THEMES[opts.theme || 'light'];
      const vars = Object.entries(t).map(([k, v]) => '--figma-color-' + k + ':' + v).join(';');
      doc = doc.replace('<html lang="en">', '<html lang="en" class="figma-' + (opts.theme || 'light') + '">').replace('<head>', '<head><style id="figma-style">:root{' + vars + '}</style>');
    }
    if (opts.ep) doc = doc.replace('<head>', '<head><script>window.__LATENTYPE_EP__=' + JSON.stringify(opts.ep) + '<\\/script>');
    window.__shownAt = performance.now();
    iframe.contentWindow.postMessage({ __html: doc }, '*');
  };
  const resize = figma.ui.resize;
  figma.ui.resize = function (w, h) { resize(w, h); iframe.width = w; iframe.height = h; };
  figma.ui.postMessage = function (m) {
    figma.posted.push(m);
    iframe.contentWindow.postMessage({ pluginMessage: m, pluginId: 'latentype' }, '*');
  };
  window.addEventListener('message', function (e) {
    if (e.source === iframe.contentWindow && e.data && e.data.pluginMessage && figma.ui.onmessage) figma.ui.onmessage(e.data.pluginMessage, { origin: 'null' });
  });
  if (opts.setup) new Function('figma', 'FakeNode', opts.setup)(figma, FakeFigmaLib.FakeNode);
  new Function('figma', '__html__', code)(figma, html);
  figma.run(opts.command, opts.parameters);
};
</script></body></html>`
}

export interface Harness {
  url: string
  close(): Promise<void>
}

/** Serves the harness page, the built plugin in `dist` and the browser build of the fake Figma API. */
export async function startHarness(dist: string, root: string): Promise<Harness> {
  const fake = await esbuild.build({ entryPoints: [join(root, 'tests/plugin/fake-figma.ts')], bundle: true, write: false, format: 'iife', globalName: 'FakeFigmaLib', platform: 'browser', target: 'chrome110', logLevel: 'silent' })
  const files: Record<string, { type: string; body: () => Buffer | string }> = {
    '/': { type: 'text/html', body: harnessPage },
    '/ui.html': { type: 'text/html', body: () => readFileSync(join(dist, 'ui.html')) },
    '/code.js': { type: 'text/javascript', body: () => readFileSync(join(dist, 'code.js')) },
    '/fake-figma.js': { type: 'text/javascript', body: () => fake.outputFiles[0]!.text },
  }
  const server: Server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]!]
    if (!f) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' }).end(f.body())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) }
}

export interface OpenOptions {
  command?: string
  parameters?: Record<string, unknown>
  theme?: Theme
  ep?: 'wasm' | 'webgpu'
  /** JS run with (figma, FakeNode) before code.js starts, e.g. to put a node in the selection. */
  setup?: string
  /** figma.clientStorage contents at start (e.g. what an earlier opening saved: `figma.storage`). */
  storage?: Record<string, unknown>
  /** The document's local paint styles. */
  paintStyles?: { id: string; name: string; paints: unknown[] }[]
}

export interface OpenPlugin {
  page: Page
  ui: Frame
}

/** What the fake Figma recorded (JSON-safe), read from the harness page. */
export async function figmaState<T>(page: Page, expr: string): Promise<T> {
  return page.evaluate(`(() => (${expr}))()`) as Promise<T>
}

/**
 * Screenshots the fake document the plugin built: every vector at its place and in its fill, rendered by
 * Chromium from FakeFigma.renderSvg, `scale` × its size in px.
 */
export async function screenshotDocument(browser: Browser, page: Page, path: string, o: { scale?: number; background?: string } = {}): Promise<{ width: number; height: number }> {
  const svg = (await page.evaluate(`figma.renderSvg({ background: ${JSON.stringify(o.background ?? '#f5f5f5')}, padding: 24 })`)) as string
  const size = /width="(\d+)" height="(\d+)"/.exec(svg)!
  const scale = o.scale ?? 1
  const width = Math.ceil(Number(size[1]) * scale)
  const height = Math.ceil(Number(size[2]) * scale)
  const doc = await browser.newPage({ viewport: { width, height } })
  await doc.setContent(`<!doctype html><body style="margin:0"><img style="display:block;width:${width}px;height:${height}px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body>`)
  await doc.waitForFunction(() => document.querySelector('img')!.complete)
  await doc.screenshot({ path })
  await doc.close()
  return { width, height }
}

/** Opens the harness, starts the plugin and returns the page and the UI frame (once the UI rendered). */
export async function openPlugin(browser: Browser, h: Harness, o: OpenOptions = {}): Promise<OpenPlugin> {
  const page = await browser.newPage({ viewport: { width: 380, height: 640 } })
  page.on('pageerror', (e) => console.error('[harness pageerror]', e.message))
  await page.goto(h.url)
  await page.evaluate((opts) => (window as unknown as { startFigma(o: unknown): Promise<void> }).startFigma(opts), { command: o.command ?? 'open', parameters: o.parameters, theme: o.theme, ep: o.ep, setup: o.setup, storage: o.storage, paintStyles: o.paintStyles })
  const ui = page.frames().find((f) => f !== page.mainFrame())!
  if ((o.command ?? 'open') !== 'generate') await ui.waitForSelector('.app', { timeout: 60_000 })
  return { page, ui }
}

// ---- driving the UI (shared by the e2e files) ----

const E2E_TIMEOUT = 120_000

/** Waits for `n` drawn variants; with `vectors`, until every cell shows its traced vector. */
export async function waitForGrid(ui: Frame, n: number, o: { vectors?: boolean; timeout?: number } = {}): Promise<void> {
  try {
    await ui.waitForFunction(
      ([k, vec]) => {
        const cs = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid=variant] canvas')]
        return cs.length === k && cs.every((c) => c.width > 0 && (!vec || c.dataset.kind === 'vector'))
      },
      [n, o.vectors ?? false] as const,
      { timeout: o.timeout ?? E2E_TIMEOUT },
    )
  } catch (e) {
    // say what the grid showed instead, so a timeout tells which wait hung
    const seen = await ui
      .evaluate(() => {
        const cs = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid=variant] canvas')]
        const classes = [...document.querySelectorAll('[data-testid=variant]')].map((v) => v.getAttribute('title')?.split(/ · | — /)[0])
        return `${cs.length} cells (${cs.filter((c) => c.dataset.kind === 'vector').length} vectors, ${cs.filter((c) => c.width === 0).length} unpainted; classes ${[...new Set(classes)].slice(0, 8).join(' ')})`
      })
      .catch((err: unknown) => `unreadable: ${String(err)}`)
    throw new Error(`waiting for a grid of ${n}${o.vectors ? ' traced' : ''} cells: ${seen} — ${String(e)}`)
  }
}

/** The seeds of the grid's cells, in order. */
export const gridSeeds = (ui: Frame): Promise<number[]> => ui.locator('[data-testid=variant]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seed'))))

/** The class label of each grid cell (its title up to " · " or " — "). */
export const gridClasses = (ui: Frame): Promise<string[]> =>
  ui.locator('[data-testid=variant]').evaluateAll((els) => els.map((e) => e.getAttribute('title')!.split(/ · | — /)[0]!))

/** Labels of the selected class chips. */
export const selectedChips = (ui: Frame): Promise<string[]> =>
  ui.locator('[data-testid=class-chip][aria-selected=true]').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')!))

/** Types a value into a number field and commits it (as leaving the field does). */
export async function setNumberField(ui: Frame, testId: string, v: number): Promise<void> {
  await ui.fill(`[data-testid=${testId}]`, String(v))
  await ui.locator(`[data-testid=${testId}]`).dispatchEvent('change')
}

/** figma.notify calls so far. */
export const notifications = (page: Page): Promise<{ message: string; error: boolean }[]> => figmaState(page, 'figma.notifications')

/** Waits until the UI has posted a message of one of these types to the main thread. */
export async function waitForPosted(page: Page, types: string[], timeout = E2E_TIMEOUT): Promise<void> {
  await page.waitForFunction((ts) => (window as unknown as { figma: { posted: { type: string }[] } }).figma.posted.some((m) => ts.includes(m.type)), types, { timeout })
}

/**
 * Σ alpha of each grid cell's canvas (the ink drawn), keyed by class label. Cells must show the same kind
 * (wait for vectors first), so that every canvas has the same resolution.
 */
export const inkPerCell = (ui: Frame): Promise<[string, number][]> =>
  ui.locator('[data-testid=variant]').evaluateAll((els) =>
    els.map((el) => {
      const c = el.querySelector('canvas')!
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let ink = 0
      for (let i = 3; i < d.length; i += 4) ink += d[i]!
      return [el.getAttribute('title')!.split(/ · | — /)[0]!, ink / (c.width * c.height)] as [string, number]
    }),
  )
