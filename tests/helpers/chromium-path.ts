/**
 * Prints the Chromium the browser tests will launch (tests/helpers/chromium.ts's resolveChromium) and exits 0,
 * or says what was tried and exits 1. `.ci/run` uses it to decide whether to install Chromium.
 * Run: `npx tsx tests/helpers/chromium-path.ts`
 */
import { resolveChromium } from './chromium.js'

const { path, tried } = resolveChromium()
if (path) console.log(path)
else {
  console.error(`no Chromium found (tried ${tried.join(', ')})`)
  process.exitCode = 1
}
