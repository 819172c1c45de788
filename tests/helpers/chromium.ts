/**
 * Launches headless Chromium (Debian `chromium`, driven by playwright-core) for browser tests. Outside CI a
 * missing Chromium skips those tests with a printed reason; in CI (CI=true) it is an error.
 * Playwright gives every launch a fresh temporary profile (its own --user-data-dir).
 * Install: `apt-get install -y chromium` (or set CHROMIUM_PATH).
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p)

export const chromiumPath: string | null = CANDIDATES.find((p) => existsSync(p)) ?? null
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0'

/** Why browser tests are skipped here, or null when they run. Throws in CI when Chromium is missing. */
export function chromiumSkipReason(): string | null {
  if (chromiumPath) return null
  const msg = `Chromium not found (tried ${CANDIDATES.join(', ')}) — install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`
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
