/**
 * `npm start` end to end — the README's first command, run as users run it (in the repository: it builds the
 * plugin into dist/ and writes the sample sheets to out/start/, both ignored by git).
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodePng } from '../../sdk/image/png-decode.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

function npmStart(): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', fail)
    child.on('close', (code) => done({ code, out }))
  })
}

/** Share of a sheet's pixels that are dark ink (the sheets are black glyphs on white). */
function inkShare(file: string): { width: number; height: number; ink: number } {
  const img = decodePng(new Uint8Array(readFileSync(file)))
  let dark = 0
  for (let i = 0; i < img.width * img.height; i++) if (img.data[i * 4 + 1]! < 128 && img.data[i * 4 + 3]! > 128) dark++
  return { width: img.width, height: img.height, ink: dark / (img.width * img.height) }
}

describe('npm start', () => {
  it('builds the plugin and writes glyph and icon sample sheets from the trained default models', async () => {
    const t0 = Date.now() - 1000
    const { code, out } = await npmStart()
    if (code !== 0) console.log(out)
    expect(code).toBe(0)
    expect(out).toContain('building the Figma plugin')
    expect(out).toMatch(/glyphs: \S+ on onnxruntime-node\/\w+ → .*out\/start\/glyphs\.png/)
    expect(out).toMatch(/icons: \S+ on onnxruntime-node\/\w+ → .*out\/start\/icons\.png/)
    expect(out).toContain(`Figma plugin: import ${join(ROOT, 'manifest.json')}`)
    expect(out).toMatch(/done in [\d.]+ s — sample sheets: /)
    // the committed models are trained: no untrained stand-in was used
    expect(existsSync(join(ROOT, 'models/glyphs.onnx')) && existsSync(join(ROOT, 'models/icons.onnx'))).toBe(true)
    expect(out).not.toMatch(/not trained yet|UNTRAINED/)
    // what Figma imports, freshly built
    for (const f of ['dist/code.js', 'dist/ui.html']) {
      expect(statSync(join(ROOT, f)).mtimeMs, f).toBeGreaterThanOrEqual(t0)
      expect(statSync(join(ROOT, f)).size, f).toBeGreaterThan(1000)
    }
    // the sheets: fresh PNGs with drawn glyphs (4 seeds × 2 rows of 31 glyphs; 24 icon classes × 8)
    for (const kind of ['glyphs', 'icons']) {
      const file = join(ROOT, 'out/start', `${kind}.png`)
      expect(statSync(file).mtimeMs, file).toBeGreaterThanOrEqual(t0)
      const s = inkShare(file)
      console.log(`${kind}.png: ${s.width}×${s.height}, ${(100 * s.ink).toFixed(1)} % ink`)
      expect(s.ink, kind).toBeGreaterThan(0.03)
      expect(s.ink, kind).toBeLessThan(0.6)
    }
    // written atomically: no temporary file is left beside the sheets
    expect(readdirSync(join(ROOT, 'out/start')).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(inkShare(join(ROOT, 'out/start/glyphs.png')).width).toBeGreaterThan(31 * 32)
    expect(inkShare(join(ROOT, 'out/start/icons.png')).height).toBeGreaterThan(24 * 32)
  }, 600_000)
})
