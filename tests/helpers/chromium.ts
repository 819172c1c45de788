/**
 * Launches headless Chromium (Debian `chromium`, driven by playwright-core) for browser tests. Outside CI a
 * missing Chromium skips those tests with a printed reason; in CI (CI=true) it is an error.
 * Playwright gives every launch a fresh temporary profile (its own --user-data-dir).
 * Install: `apt-get install -y chromium` (or set CHROMIUM_PATH).
 *
 * The browser is found by {@link resolveChromium}; `.ci/run` asks the same function (through
 * tests/helpers/chromium-path.ts) whether to install one, so CI and the tests always agree on the path.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

/** Executable names looked up on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
/** Fixed locations tried when none of the names is on PATH. */
export const CHROMIUM_FIXED = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK)
    return statSync(p).isFile()
  } catch {
    return false
  }
}

export interface ChromiumLookup {
  path: string | null
  /** What was tried, for messages. */
  tried: string[]
}

/**
 * The Chromium the browser tests launch: `CHROMIUM_PATH` when set (and then only it: a wrong value is reported,
 * not silently replaced), else the first of {@link CHROMIUM_NAMES} on `PATH` (what `command -v` finds), else
 * the first existing of {@link CHROMIUM_FIXED}.
 */
export function resolveChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  if (env.CHROMIUM_PATH) return { path: executable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null, tried: [`CHROMIUM_PATH=${env.CHROMIUM_PATH}`] }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) if (executable(join(dir, name))) return { path: join(dir, name), tried: [] }
  }
  const fixed = CHROMIUM_FIXED.find((p) => existsSync(p) && executable(p))
  return { path: fixed ?? null, tried: [`${CHROMIUM_NAMES.join('/')} on PATH`, ...CHROMIUM_FIXED] }
}

const lookup = resolveChromium()
export const chromiumPath: string | null = lookup.path
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0'

/** Why browser tests are skipped here, or null when they run. Throws in CI when Chromium is missing. */
export function chromiumSkipReason(): string | null {
  if (chromiumPath) return null
  const msg = `Chromium not found (tried ${lookup.tried.join(', ')}) — install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`
  if (inCi) throw new Error(`${msg}; browser tests are required in CI`)
  console.warn(`[skip] browser tests: ${msg}`)
  return msg
}

export interface LaunchOptions {
  /** Exposes WebGPU (SwiftShader adapter: correct, slow; for correctness tests only). */
  webgpu?: boolean
}

export interface LaunchedBrowser {
  browser: Browser
  close(): Promise<void>
}

export async function launchChromium(o: LaunchOptions = {}): Promise<LaunchedBrowser> {
  if (!chromiumPath) throw new Error('Chromium not found — call chromiumSkipReason() first')
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    ...(o.webgpu ? ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'] : []),
  ]
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args })
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined)
    },
  }
}
