/**
 * Builds the Figma plugin: dist/code.js (main thread) and dist/ui.html (UI + worker + ORT wasm + models, one
 * self-contained file, because Figma document.write()s the UI into a null-origin iframe where nothing relative
 * resolves). Binary payloads are gzip + base64 in inert <script> elements; the worker is a classic IIFE script
 * (module blob: workers fail there); a second, small one traces vectors. Models: every models/*.onnx, one per kind, trained preferred over demo.
 *
 * Runtime: `all` (default) ships ORT's WebGPU + wasm build (jsep, 28 MB raw); `wasm` ships the CPU-only build
 * (14 MB raw): half the bytes and a faster cold start, but no WebGPU — which Figma does not expose anyway.
 *
 * Usage: npx tsx scripts/build-plugin.ts [--watch] [--out dist] [--models a.onnx,b.onnx] [--runtime all|wasm] [--quiet]
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, watch, writeFileSync, mkdirSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { parseModelFile } from '../sdk/model/file.js'
import type { ModelCard } from '../sdk/model/card.js'
import type { ModelInfo } from '../plugin/protocol.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Figma refuses a plugin whose code.js + ui.html exceed this. */
export const FIGMA_LIMIT_BYTES = 15 * 1024 * 1024
export type OrtRuntime = 'all' | 'wasm'
const ORT_WASM: Record<OrtRuntime, string> = {
  all: join(ROOT, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm'),
  wasm: join(ROOT, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'),
}
const CACHE = join(ROOT, 'node_modules/.cache/latentype')

export interface BuildOptions {
  out?: string
  /** Model files to embed; default: chosen from models/. */
  models?: string[]
  /** Which ORT build to embed (default `all`: WebGPU + wasm). */
  runtime?: OrtRuntime
  quiet?: boolean
}

export interface BuildReport {
  runtime: OrtRuntime
  codeBytes: number
  uiBytes: number
  totalBytes: number
  parts: Record<string, number>
  models: ModelInfo[]
}

interface ChosenModel {
  path: string
  card: ModelCard
  trained: boolean
}

const isTrained = (c: ModelCard): boolean => c.metrics.trained !== 'no' && !/untrained/i.test(c.description ?? '')

/** One model per kind from `dir`, trained ones first, then by name. */
export function chooseModels(dir = join(ROOT, 'models')): string[] {
  const found: ChosenModel[] = []
  for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (!f.endsWith('.onnx')) continue
    try {
      const card = parseModelFile(readFileSync(join(dir, f)), f).card
      found.push({ path: join(dir, f), card, trained: isTrained(card) })
    } catch (e) {
      console.warn(`build-plugin: skipping ${f}: ${(e as Error).message}`)
    }
  }
  const byKind = new Map<string, ChosenModel>()
  for (const m of found.sort((a, b) => Number(b.trained) - Number(a.trained))) if (!byKind.has(m.card.kind)) byKind.set(m.card.kind, m)
  const order = ['icons', 'glyphs', 'other']
  return [...byKind.values()].sort((a, b) => order.indexOf(a.card.kind) - order.indexOf(b.card.kind)).map((m) => m.path)
}

const b64gz = (bytes: Uint8Array): string => gzipSync(bytes, { level: 9 }).toString('base64')

function cachedWasmPayload(runtime: OrtRuntime): string {
  const file = ORT_WASM[runtime]
  const st = statSync(file)
  const key = join(CACHE, `ort-${runtime}-${st.size}-${Math.round(st.mtimeMs)}.b64`)
  if (existsSync(key)) return readFileSync(key, 'utf8')
  const b64 = b64gz(readFileSync(file))
  mkdirSync(CACHE, { recursive: true })
  writeAtomic(key, b64)
  return b64
}

function writeAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, path)
}

async function bundle(entry: string, o: { target?: string; define?: Record<string, string>; alias?: Record<string, string>; minify?: boolean } = {}): Promise<string> {
  const res = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: o.target ?? 'chrome110',
    minify: o.minify ?? true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // ORT reads import.meta.url for file locations; IIFE has none. Every file it would fetch is passed as bytes.
    define: { 'import.meta.url': '"https://latentype.invalid/"', ...o.define },
    alias: o.alias,
    logLevel: 'silent',
  })
  return res.outputFiles[0]!.text
}

/** `</script` inside inline script text would end the element early. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}

export async function buildPlugin(options: BuildOptions = {}): Promise<BuildReport> {
  const out = resolve(ROOT, options.out ?? 'dist')
  // Default: ORT's wasm-only build. Figma's null-origin plugin iframe exposes no WebGPU, and the WebGPU+wasm build
  // costs ~4 MB and ~1 s of cold start there for nothing (BENCHMARKS.md). `--runtime all` ships WebGPU-first.
  const runtime = options.runtime ?? 'wasm'
  const modelPaths = options.models ?? chooseModels()
  if (modelPaths.length === 0) throw new Error('build-plugin: no models found — run `npx tsx scripts/make-demo-model.ts` or train one')
  const models: (ModelInfo & { payload: string })[] = []
  for (const p of modelPaths) {
    const bytes = readFileSync(p)
    const card = parseModelFile(bytes, basename(p)).card
    let key: string = card.kind === 'other' ? card.name : card.kind
    while (models.some((m) => m.key === key)) key += '+'
    models.push({
      key, name: card.name, kind: card.kind, imageSize: card.imageSize, latentSize: card.latentSize, trained: isTrained(card),
      classes: card.classes.map((c) => ({ label: c.label, synonyms: c.synonyms })), payload: b64gz(bytes),
    })
  }
  const index: ModelInfo[] = models.map(({ payload: _, ...m }) => m)

  const [workerJs, traceJs, uiJs, codeJs] = await Promise.all([
    bundle('ui/worker/entry.ts', { alias: runtime === 'wasm' ? { 'onnxruntime-web': 'onnxruntime-web/wasm' } : undefined }),
    bundle('ui/worker/trace-entry.ts'),
    bundle('ui/main.tsx'),
    bundle('plugin/code.ts', { target: 'es2017', define: { __LATENTYPE_MODELS__: JSON.stringify(index) } }),
  ])
  const css = readFileSync(join(ROOT, 'ui/styles.css'), 'utf8')
  const workerPayload = b64gz(Buffer.from(workerJs))
  const tracePayload = b64gz(Buffer.from(traceJs))
  const wasmPayload = cachedWasmPayload(runtime)
  const data = (id: string, body: string, attrs = ''): string => `<script type="application/octet-stream" id="${id}"${attrs}>${body}</script>\n`
  const html =
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>latentype</title><style>${css}</style></head>\n<body><div id="app"></div>\n` +
    data('lt-worker', workerPayload) +
    data('lt-trace-worker', tracePayload) +
    data('lt-ort-wasm', wasmPayload) +
    models.map((m) => data(`lt-model-${m.key}`, m.payload, ` class="lt-model" data-key="${m.key}" data-name="${m.name}" data-kind="${m.kind}"`)).join('') +
    `<script>${inlineScript(uiJs)}</script>\n</body></html>\n`

  writeAtomic(join(out, 'code.js'), codeJs)
  writeAtomic(join(out, 'ui.html'), html)
  const codeBytes = Buffer.byteLength(codeJs)
  const uiBytes = Buffer.byteLength(html)
  const parts: Record<string, number> = {
    'code.js': codeBytes,
    [`ui: ORT ${runtime === 'all' ? 'WebGPU+wasm' : 'wasm-only'} runtime (gzip+base64)`]: wasmPayload.length,
    'ui: worker JS incl. ORT glue (gzip+base64)': workerPayload.length,
    'ui: trace worker JS (gzip+base64)': tracePayload.length,
    'ui: UI JS + CSS': uiJs.length + css.length,
    ...Object.fromEntries(models.map((m) => [`ui: model ${m.name} (gzip+base64)`, m.payload.length])),
  }
  const report = { runtime, codeBytes, uiBytes, totalBytes: codeBytes + uiBytes, parts, models: index }
  if (!options.quiet) printReport(report, out)
  if (report.totalBytes > FIGMA_LIMIT_BYTES) {
    throw new Error(`build-plugin: code.js + ui.html = ${report.totalBytes} bytes is over Figma's ${FIGMA_LIMIT_BYTES}-byte limit — use smaller models`)
  }
  return report
}

function printReport(r: BuildReport, out: string): void {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MiB`
  console.log(`built ${out}/code.js + ui.html — models: ${r.models.map((m) => `${m.name} (${m.kind}${m.trained ? '' : ', untrained'})`).join(', ')}`)
  for (const [k, v] of Object.entries(r.parts)) console.log(`  ${k.padEnd(48)} ${mb(v).padStart(9)}`)
  console.log(`  ${'total (Figma limit 15 MiB)'.padEnd(48)} ${mb(r.totalBytes).padStart(9)}  (${((100 * r.totalBytes) / FIGMA_LIMIT_BYTES).toFixed(0)}% of the limit)`)
}

function parseArgs(argv: string[]): BuildOptions & { watch: boolean } {
  const o: BuildOptions & { watch: boolean } = { watch: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--watch') o.watch = true
    else if (a === '--quiet') o.quiet = true
    else if (a === '--out') o.out = argv[++i]
    else if (a === '--models') o.models = argv[++i]!.split(',').map((p) => resolve(p))
    else if (a === '--runtime') {
      const r = argv[++i]
      if (r !== 'all' && r !== 'wasm') throw new Error(`build-plugin: --runtime must be all or wasm (got ${r})`)
      o.runtime = r
    }
    else throw new Error(`build-plugin: unknown argument ${a} — usage: build-plugin [--watch] [--out dir] [--models a.onnx,b.onnx] [--runtime all|wasm] [--quiet]`)
  }
  return o
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2))
  await buildPlugin(o)
  if (!o.watch) return
  let timer: NodeJS.Timeout | undefined
  const rebuild = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => buildPlugin(o).catch((e: Error) => console.error(e.message)), 150)
  }
  for (const d of ['plugin', 'ui', 'sdk', 'models']) watch(join(ROOT, d), { recursive: true }, rebuild)
  console.log('watching plugin/ ui/ sdk/ models/ — Ctrl+C to stop')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: Error) => {
    console.error(e.message)
    process.exit(1)
  })
}
