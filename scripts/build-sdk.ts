/**
 * Builds the published SDK: `tsc -p tsconfig.build.json` → dist/ (ES modules + .d.ts) from sdk/. Stale SDK output
 * is removed first; the Figma plugin's dist/code.js and dist/ui.html (scripts/build-plugin.ts) are left alone.
 * Run by `npm run build:sdk` and by `npm pack` / `npm publish` (prepack).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist')
const PLUGIN_FILES = new Set(['code.js', 'ui.html'])

export function buildSdk(o: { quiet?: boolean } = {}): void {
  if (existsSync(DIST)) for (const f of readdirSync(DIST)) if (!PLUGIN_FILES.has(f)) rmSync(join(DIST, f), { recursive: true, force: true })
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' })
  if (!o.quiet) console.log(`built ${DIST}/ (SDK: index.js, web.js, train/, data/, cli/ + .d.ts)`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildSdk()
  } catch {
    console.error('build-sdk: tsc failed (errors above)')
    process.exit(1)
  }
}
