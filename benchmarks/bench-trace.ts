/**
 * `npm run bench:trace`: time per trace (tracePath) of a 64×64 glyph — the 62 Roboto glyphs of the test
 * fixtures, rasterised as the glyph dataset rasterises them. Moved here from tests/image/trace.test.ts, where a
 * timing target made the suite depend on the machine. Prints one JSON line, then a summary.
 * Target: p50 ≤ 10 ms per trace (the plugin traces every inserted variant on the UI thread).
 */
import { readFileSync } from 'node:fs'
import { tracePath } from '../sdk/image/trace.js'
import { fontLayout, GLYPH_CHARS, parseWoff2, renderGlyph } from '../scripts/data/fonts.js'

const TARGET_MS = 10
const file = new URL('../tests/fixtures/fonts/roboto/files/roboto-latin-400-normal.woff2', import.meta.url)
const font = await parseWoff2(new Uint8Array(readFileSync(file)))
const layout = fontLayout(font, 64, 4)
const glyphs = GLYPH_CHARS.map((ch) => renderGlyph(font, ch, layout, 64))

for (let round = 0; round < 3; round++) for (const b of glyphs) tracePath(b) // warm-up
const times: number[] = []
for (let round = 0; round < 10; round++) {
  for (const b of glyphs) {
    const t0 = performance.now()
    tracePath(b)
    times.push(performance.now() - t0)
  }
}
times.sort((a, b) => a - b)
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
const result = { bench: 'trace', glyphs: glyphs.length, traces: times.length, p50_ms: q(0.5), p90_ms: q(0.9), max_ms: times[times.length - 1]!, target_p50_ms: TARGET_MS }
console.log(JSON.stringify(result))
console.log(`tracePath, 64×64 Roboto glyphs: p50 ${result.p50_ms.toFixed(2)} ms, p90 ${result.p90_ms.toFixed(2)} ms, max ${result.max_ms.toFixed(2)} ms per trace — target p50 ≤ ${TARGET_MS} ms ${result.p50_ms <= TARGET_MS ? 'met' : 'MISSED'}`)
