/**
 * The npm package as a user gets it: `npm pack` (prepack builds dist/), then in a fresh temporary project
 * `npm install --offline <tarball> onnxruntime-node` from the npm cache the project's own install filled
 * (ONNXRUNTIME_NODE_INSTALL=skip, as the README says), and there:
 *   - plain Node (no tsx) imports `latentype` and generates the same bitmaps as the sources;
 *   - a strict consumer type-checks against the published .d.ts (strict, exactOptionalPropertyTypes, … with
 *     moduleResolution node16, bundler and node10, skipLibCheck off);
 *   - `npx latentype generate` / `--version` run the compiled CLI;
 *   - `latentype/web` bundled with esbuild runs in headless Chromium the README's ways (wasm beside the bundle,
 *     wasmPaths, a wrong wasmBinary → BAD_WASM), without the graph builder in the bundle.
 * Prints the tarball, install and bundle sizes (README, "Install").
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Generator } from '../../sdk/index.js'
import { SDK_VERSION } from '../../sdk/version.js'
import { chromiumSkipReason, launchChromium, type LaunchedBrowser } from '../helpers/chromium.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const ORT_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const MB = (n: number): string => `${(n / 1e6).toFixed(2)} MB`

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for this repository. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v
  if (process.env.npm_config_cache) env.npm_config_cache = process.env.npm_config_cache
  env.ONNXRUNTIME_NODE_INSTALL = 'skip'
  env.npm_config_audit = 'false'
  env.npm_config_fund = 'false'
  env.npm_config_update_notifier = 'false'
  return env
}

function sh(cmd: string, args: string[], o: SpawnSyncOptions & { cwd: string }): string {
  const r = spawnSync(cmd, args, { env: userEnv(), encoding: 'utf8', timeout: 540_000, maxBuffer: 64 << 20, ...o })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${o.cwd}) exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`)
  return String(r.stdout)
}

/** Bytes of all files under `dir` (apparent size, as npm reports unpacked sizes). */
function treeBytes(dir: string): number {
  let total = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) total += treeBytes(p)
    else if (e.isFile()) total += statSync(p).size
  }
  return total
}

/**
 * A consumer project whose dependencies install with `npm ci --offline` from the npm cache the repository's own
 * install filled: that cache holds the tarballs (by integrity) but not the registry metadata a plain
 * `npm install <name>` would resolve versions with, so the consumer gets a lockfile taken from ours.
 */
const REPO = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string; dependencies: Record<string, string> }
const LOCK = (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> }).packages

/** Lockfile entries (ours) for latentype's dependencies and the given runtimes, at the paths our lockfile has them. */
function dependencyEntries(runtimes: readonly string[]): Record<string, Record<string, unknown>> {
  const packages: Record<string, Record<string, unknown>> = {}
  const parentOf = (p: string): string => p.slice(0, Math.max(0, p.lastIndexOf('/node_modules/')))
  const queue: [string, string][] = [...Object.keys(REPO.dependencies).map((d): [string, string] => ['node_modules/latentype', d]), ...runtimes.map((r): [string, string] => ['', r])]
  while (queue.length > 0) {
    const [from, name] = queue.shift()!
    let key: string | undefined
    for (let base = from; ; base = parentOf(base)) {
      const k = `${base ? `${base}/` : ''}node_modules/${name}`
      if (LOCK[k] && k !== 'node_modules/latentype') key = k
      if (key || !base) break
    }
    if (!key) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the consumer'})`)
    if (packages[key]) continue
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = LOCK[key]!
    packages[key] = entry
    for (const d of Object.keys((entry.dependencies as Record<string, string> | undefined) ?? {})) queue.push([key, d])
  }
  return packages
}

/** Why the consumer installs cannot run offline here (packages missing from the npm cache), or null. */
function cacheSkipReason(): string | null {
  const cache = process.env.npm_config_cache ?? spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', env: userEnv(), cwd: tmpdir() }).stdout.trim()
  const missing = Object.entries(dependencyEntries(['onnxruntime-node', 'onnxruntime-web'])).filter(([, e]) => {
    const [algo, b64] = String(e.integrity).split('-') as [string, string]
    const hex = Buffer.from(b64, 'base64').toString('hex')
    return !existsSync(join(cache, '_cacache', 'content-v2', algo, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4)))
  })
  if (missing.length === 0) return null
  const msg = `the npm cache (${cache}) lacks ${missing.map(([k]) => k.replace(/^.*node_modules\//, '')).join(', ')} — run \`npm ci\` with this cache first (the packaging test installs offline from it)`
  if (process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0') throw new Error(`${msg}; the packaging test is required in CI`)
  console.warn(`[skip] packaging test: ${msg}`)
  return msg
}

/**
 * A consumer project whose dependencies install with `npm ci --offline` from the npm cache the repository's own
 * install filled: that cache holds the tarballs (by integrity) but not the registry metadata a plain
 * `npm install <name>` would resolve versions with, so the consumer gets a lockfile taken from ours.
 */
function consumerProject(dir: string, tarball: string, integrity: string, runtimes: string[]): void {
  const spec = `file:../${basename(tarball)}`
  const deps: Record<string, string> = { latentype: spec, ...Object.fromEntries(runtimes.map((r) => [r, ORT_VERSION])) }
  const packages: Record<string, Record<string, unknown>> = {
    '': { name: 'lt-consumer', dependencies: deps },
    'node_modules/latentype': {
      version: REPO.version, resolved: spec, integrity, license: REPO.license, dependencies: REPO.dependencies, bin: REPO.bin, engines: REPO.engines,
      peerDependencies: REPO.peerDependencies, peerDependenciesMeta: REPO.peerDependenciesMeta,
    },
    ...dependencyEntries(runtimes),
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lt-consumer', private: true, type: 'module', dependencies: deps }, null, 2))
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'lt-consumer', lockfileVersion: 3, requires: true, packages }, null, 2))
  sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir })
}

describe.skipIf(cacheSkipReason())('npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'lt-pack-'))
  const app = join(work, 'app')
  let tarball = ''
  let integrity = ''
  const sizes: string[] = []

  beforeAll(() => {
    // npm pack runs prepack (npm run build:sdk → dist/).
    const stdout = sh('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT })
    const packed = JSON.parse(stdout.slice(stdout.lastIndexOf('[\n  {'))) as { filename: string; integrity: string; size: number; unpackedSize: number; files: { path: string }[] }[]
    const p = packed[0]!
    tarball = join(work, p.filename)
    integrity = p.integrity
    const paths = p.files.map((f) => f.path)
    expect(paths).toContain('dist/index.js')
    expect(paths).toContain('dist/web.d.ts')
    expect(paths).toContain('models/glyphs.onnx')
    expect(paths).toContain('LICENSE')
    expect(paths.filter((f) => !/^(dist\/|bin\/latentype\.js$|models\/(glyphs|icons)\.onnx$|README\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([])
    expect(paths.some((f) => f === 'dist/code.js' || f === 'dist/ui.html' || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false)
    sizes.push(`tarball ${p.filename}: ${MB(p.size)} (${p.files.length} files, ${MB(p.unpackedSize)} unpacked)`)
    expect(p.size).toBeLessThanOrEqual(6e6)

    consumerProject(app, tarball, integrity, ['onnxruntime-node'])
    const nm = join(app, 'node_modules')
    const top = readdirSync(nm).filter((d) => !d.startsWith('.'))
    const per = top.map((d) => [d, treeBytes(join(nm, d))] as const).sort((a, b) => b[1] - a[1])
    sizes.push(`Node install (latentype + onnxruntime-node): ${MB(treeBytes(nm))} — ${per.map(([d, b]) => `${d} ${MB(b)}`).join(', ')}`)
  }, 900_000)

  afterAll(() => {
    console.log(`package sizes:\n  ${sizes.join('\n  ')}`)
    rmSync(work, { recursive: true, force: true })
  })

  it('installs without dev tools or the other runtime', () => {
    const nm = join(app, 'node_modules')
    for (const dev of ['tsx', 'esbuild', 'preact', 'comlink', 'onnxruntime-web', 'typescript']) expect(existsSync(join(nm, dev)), dev).toBe(false)
    expect(existsSync(join(nm, 'latentype/dist/index.js'))).toBe(true)
  })

  it('plain Node imports latentype and generates what the sources generate', async () => {
    writeFileSync(
      join(app, 'gen.mjs'),
      `import { Generator, LatentypeError } from 'latentype'
const events = []
const gen = await Generator.load('glyphs', { onProgress: (p) => events.push(p.status) })
const { latents, bitmaps } = await gen.generate({ class: 'A', n: 2, seed: 1, temperature: 0.8 })
let code
try { gen.sample({ class: 'hart' }) } catch (e) { code = e instanceof LatentypeError ? e.code : String(e) }
await gen.dispose()
console.log(JSON.stringify({ backend: gen.backend, events, code, latent: Array.from(latents[0]), pixels: bitmaps.map((b) => Array.from(b.data)) }))
`,
    )
    const out = JSON.parse(sh(process.execPath, ['gen.mjs'], { cwd: app })) as { backend: string; events: string[]; code: string; latent: number[]; pixels: number[][] }
    expect(out.backend).toBe('onnxruntime-node/cpu')
    expect(out.events).toEqual(['initiate', 'progress', 'done', 'ready'])
    expect(out.code).toBe('UNKNOWN_CLASS')
    const gen = await Generator.load('glyphs')
    const ref = await gen.generate({ class: 'A', n: 2, seed: 1, temperature: 0.8 })
    await gen.dispose()
    expect(out.latent).toEqual(Array.from(ref.latents[0]!))
    out.pixels.forEach((px, i) => px.forEach((v, j) => expect(Math.abs(v - ref.bitmaps[i]!.data[j]!)).toBeLessThanOrEqual(1e-6)))
  }, 120_000)

  it('type-checks a strict consumer with moduleResolution node16, bundler and node10', () => {
    const dir = join(app, 'typecheck')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { Generator, LatentypeError, traceToSvg, type ErrorCode, type LoadProgress, type ModelCard, type SampleOptions } from 'latentype'
import { Generator as WebGenerator, ORT_WASM_FILES, type WebBackendOptions } from 'latentype/web'
import { LatentypeError as SameError } from 'latentype'

const seen: LoadProgress[] = []
const gen = await Generator.load('glyphs', { threads: 1, onProgress: (p) => { seen.push(p) } })
const options: SampleOptions = { class: 'A', n: 2, seed: 1, temperature: 0.8 }
const { latents, bitmaps } = await gen.generate(options)
const first = bitmaps[0]
export const svg: string = first ? traceToSvg(first) : ''
const z: number[] = Array.from(latents[0] ?? [])
export const again = await gen.decode([z], 'A')
export const card: ModelCard = gen.card
export const label: string | undefined = card.classes[0]?.label
export const web: WebBackendOptions = { executionProviders: 'auto', wasmPaths: '/ort/', numThreads: 1 }
export const webLoad: typeof WebGenerator.load = WebGenerator.load
export const wasmFile: string = ORT_WASM_FILES.jsep
export function codeOf(e: unknown): ErrorCode | undefined {
  return e instanceof LatentypeError || e instanceof SameError ? e.code : undefined
}
await gen.dispose()
`,
    )
    const strict = {
      strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noPropertyAccessFromIndexSignature: true,
      noUnusedLocals: true, noUnusedParameters: true, noImplicitOverride: true, skipLibCheck: false, noEmit: true, target: 'ES2022', types: [],
    }
    const variants = {
      node16: { ...strict, module: 'node16', moduleResolution: 'node16', lib: ['ES2022'] },
      bundler: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'] },
      node10: { ...strict, module: 'esnext', moduleResolution: 'node10', lib: ['ES2022', 'DOM'] },
    }
    for (const [name, compilerOptions] of Object.entries(variants)) {
      writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2))
      const r = spawnSync(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], { cwd: dir, encoding: 'utf8', timeout: 300_000 })
      expect(`${name}: exit ${r.status}\n${r.stdout}${r.stderr}`).toBe(`${name}: exit 0\n`)
    }
  }, 600_000)

  it('npx latentype runs the compiled CLI', () => {
    expect(sh('npx', ['--offline', 'latentype', '--version'], { cwd: app }).trim()).toBe(SDK_VERSION)
    const log = sh('npx', ['--offline', 'latentype', 'generate', '--model', 'glyphs', '--class', 'A', '-n', '2', '--seed', '1', '--out', 'out'], { cwd: app })
    expect(log).toMatch(/wrote 2 SVG \+ 2 PNG \+ sheet\.png/)
    expect(readdirSync(join(app, 'out')).sort()).toEqual(['A-1-00.png', 'A-1-00.svg', 'A-1-01.png', 'A-1-01.svg', 'sheet.png'])
  }, 120_000)

  const skip = chromiumSkipReason()
  describe.skipIf(skip)('latentype/web in Chromium, as the README says', () => {
    let chrome: LaunchedBrowser
    let server: Server
    let base = ''
    const webApp = join(work, 'web')
    const pub = join(webApp, 'public')

    beforeAll(async () => {
      // A second consumer: a web app with latentype and onnxruntime-web.
      consumerProject(webApp, tarball, integrity, ['onnxruntime-web'])
      sizes.push(`web install (latentype + onnxruntime-web): ${MB(treeBytes(join(webApp, 'node_modules')))}`)
      mkdirSync(join(pub, 'ort'), { recursive: true })
      mkdirSync(join(pub, 'models'), { recursive: true })
      writeFileSync(
        join(webApp, 'web-app.js'),
        `import { Generator, LatentypeError, ORT_WASM_FILES } from 'latentype/web'
const params = new URLSearchParams(location.search)
const result = { events: [] }
const mode = params.get('mode')
const codeOf = (e) => ({ code: e instanceof LatentypeError ? e.code : 'untyped ' + e.name, message: e.message })
try {
  if (mode === 'wrong') {
    // README: a wasm of another build fails with BAD_WASM naming the file each build needs (onnxruntime-web cannot retry in this page).
    const plain = new Uint8Array(await (await fetch('/ort/' + ORT_WASM_FILES.wasm)).arrayBuffer())
    await Generator.load('/models/glyphs.onnx', { wasmBinary: plain }).then(() => { result.wrong = { code: 'loaded' } }, (e) => { result.wrong = codeOf(e) })
  } else if (mode === 'missing') {
    await Generator.load('/models/glyphs.onnx', { wasmPaths: { wasm: '/nowhere/' + ORT_WASM_FILES.jsep } }).then(() => { result.wrong = { code: 'loaded' } }, (e) => { result.wrong = codeOf(e) })
  } else if (mode === 'prefix-without-mjs') {
    await Generator.load('/models/glyphs.onnx', { wasmPaths: '/ort/' }).then(() => { result.wrong = { code: 'loaded' } }, (e) => { result.wrong = codeOf(e) })
  } else {
    if (mode === 'wasmPaths') {
      const html = new TextEncoder().encode('<!doctype html><h1>404</h1>')
      await Generator.load('/models/glyphs.onnx', { wasmBinary: html }).then(() => { result.notWasm = { code: 'loaded' } }, (e) => { result.notWasm = codeOf(e) })
    }
    const options = mode === 'wasmPaths' ? { wasmPaths: { wasm: '/ort/' + ORT_WASM_FILES.jsep }, executionProviders: ['wasm'] }
      : mode === 'prefix' ? { wasmPaths: '/ort-folder/' }
      : { executionProviders: 'auto' }
    const gen = await Generator.load('/models/glyphs.onnx', { ...options, onProgress: (p) => result.events.push(p.status) })
    const { latents, bitmaps } = await gen.generate({ class: 'A', n: 2, seed: 1, temperature: 0.8 })
    Object.assign(result, { backend: gen.backend, latent: Array.from(latents[0]), pixels: bitmaps.map((b) => Array.from(b.data)) })
    await gen.dispose()
  }
} catch (e) {
  result.error = (e && e.code ? e.code + ': ' : '') + (e && e.message || String(e))
}
window.__result = result
`,
      )
      const built = await esbuild.build({
        entryPoints: [join(webApp, 'web-app.js')], bundle: true, format: 'esm', platform: 'browser', minify: true,
        outdir: pub, absWorkingDir: webApp, metafile: true, logLevel: 'silent',
      })
      const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint)!
      const inBundle = Object.entries(output.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k)
      const ours = inBundle.filter((f) => f.includes('node_modules/latentype/'))
      expect(ours.length).toBeGreaterThan(0)
      expect(ours.filter((f) => /\/dist\/(graph|train|eval|cli|node)\//.test(f))).toEqual([])
      const bytes = statSync(join(pub, 'web-app.js')).size
      const ortPart = Object.entries(output.inputs).filter(([k]) => k.includes('onnxruntime-web')).reduce((sum, [, v]) => sum + v.bytesInOutput, 0)
      sizes.push(`esbuild bundle of latentype/web (minified): ${(bytes / 1024).toFixed(0)} KiB, of which onnxruntime-web ${(ortPart / 1024).toFixed(0)} KiB; no graph builder`)
      // README way 1: the wasm beside the bundle; way 2: wasmPaths → /ort/.
      const dist = join(webApp, 'node_modules/onnxruntime-web/dist')
      copyFileSync(join(dist, 'ort-wasm-simd-threaded.jsep.wasm'), join(pub, 'ort-wasm-simd-threaded.jsep.wasm'))
      copyFileSync(join(dist, 'ort-wasm-simd-threaded.jsep.wasm'), join(pub, 'ort', 'ort-wasm-simd-threaded.jsep.wasm'))
      copyFileSync(join(dist, 'ort-wasm-simd-threaded.wasm'), join(pub, 'ort', 'ort-wasm-simd-threaded.wasm'))
      // README way 2 with a folder prefix: the .mjs glue must be there too.
      mkdirSync(join(pub, 'ort-folder'))
      for (const f of ['ort-wasm-simd-threaded.jsep.wasm', 'ort-wasm-simd-threaded.jsep.mjs']) copyFileSync(join(dist, f), join(pub, 'ort-folder', f))
      copyFileSync(join(webApp, 'node_modules/latentype/models/glyphs.onnx'), join(pub, 'models', 'glyphs.onnx'))
      writeFileSync(join(pub, 'index.html'), '<!doctype html><meta charset="utf-8"><title>latentype web</title><script type="module" src="/web-app.js"></script>')
      const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' }
      server = createServer((req, res) => {
        const path = join(pub, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
        if (!path.startsWith(pub) || !existsSync(path) || statSync(path).isDirectory()) return void res.writeHead(404).end('not found')
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'content-length': statSync(path).size })
        res.end(readFileSync(path))
      })
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      chrome = await launchChromium()
    }, 600_000)

    afterAll(async () => {
      await chrome?.close()
      if (server) await new Promise((ok) => server.close(ok))
    }, 60_000)

    const open = async (query: string): Promise<Record<string, unknown>> => {
      const page = await chrome.browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(`${base}/index.html${query}`)
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 240_000 })
      const r = await page.evaluate(() => (globalThis as unknown as { __result: Record<string, unknown> }).__result)
      await page.close()
      expect(errors).toEqual([])
      return r
    }

    const reference = async (): Promise<{ latent: number[]; pixels: Float32Array[] }> => {
      const gen = await Generator.load('glyphs')
      const ref = await gen.generate({ class: 'A', n: 2, seed: 1, temperature: 0.8 })
      await gen.dispose()
      return { latent: Array.from(ref.latents[0]!), pixels: ref.bitmaps.map((b) => b.data) }
    }

    it("wasm beside the bundle, executionProviders 'auto' (no WebGPU here → wasm), onProgress; matches Node", async () => {
      const r = await open('')
      expect(r.error).toBeUndefined()
      expect(r.backend).toBe('onnxruntime-web/wasm')
      const events = r.events as string[]
      expect(events[0]).toBe('initiate')
      expect(events).toContain('progress')
      expect(events.slice(-2)).toEqual(['done', 'ready'])
      const ref = await reference()
      expect(r.latent).toEqual(ref.latent)
      ;(r.pixels as number[][]).forEach((px, i) => px.forEach((v, j) => expect(Math.abs(v - ref.pixels[i]![j]!)).toBeLessThanOrEqual(1e-5)))
    }, 300_000)

    it('wasmPaths { wasm: url }; bytes that are not WebAssembly are refused before onnxruntime starts', async () => {
      const r = await open('?mode=wasmPaths')
      expect(r.error).toBeUndefined()
      expect((r.notWasm as { code: string }).code).toBe('BAD_WASM')
      expect((r.notWasm as { message: string }).message).toMatch(/not a WebAssembly file .*ort-wasm-simd-threaded\.jsep\.wasm/)
      expect(r.backend).toBe('onnxruntime-web/wasm')
      expect(r.latent).toEqual((await reference()).latent)
    }, 300_000)

    it('the wrong wasm file (the issue\'s "K is not a function") and a missing one (404) are BAD_WASM naming the right file', async () => {
      const wrong = (await open('?mode=wrong')).wrong as { code: string; message: string }
      expect(wrong.code).toBe('BAD_WASM')
      expect(wrong.message).toMatch(/ort-wasm-simd-threaded\.wasm, the wasm of onnxruntime-web\/wasm/)
      expect(wrong.message).toMatch(/default onnxruntime-web import needs ort-wasm-simd-threaded\.jsep\.wasm/)
      const missing = (await open('?mode=missing')).wrong as { code: string; message: string }
      expect(missing.code).toBe('BAD_WASM')
      expect(missing.message).toMatch(/^onnxruntime-web could not start its WebAssembly runtime from wasmPaths \{"wasm":"\/nowhere\/ort-wasm-simd-threaded\.jsep\.wasm"\}: .* default onnxruntime-web import needs ort-wasm-simd-threaded\.jsep\.wasm/)
    }, 300_000)

    it('wasmPaths as a folder serves the .mjs glue too; without it the error says so', async () => {
      const r = await open('?mode=prefix')
      expect(r.error).toBeUndefined()
      expect(r.backend).toBe('onnxruntime-web/wasm')
      expect(r.latent).toEqual((await reference()).latent)
      const bare = (await open('?mode=prefix-without-mjs')).wrong as { code: string; message: string }
      expect(bare.code).toBe('BAD_WASM')
      expect(bare.message).toMatch(/could not load its JavaScript glue from wasmPaths "\/ort\/".*copy the matching \.mjs there too \(ort-wasm-simd-threaded\.jsep\.mjs for the default import\), or pass the wasm file alone as wasmPaths: \{ wasm:/)
    }, 300_000)
  })
})
