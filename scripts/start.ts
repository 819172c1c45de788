/**
 * `npm start`: the main job on the committed default models. Builds the Figma plugin (when its build script
 * is present) and writes sample sheets of generated glyphs and icons, printing where everything is.
 */
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { defaultModel, Generator, writeFileAtomic } from '../sdk/index.js'
import { encodeSheetPng } from '../sdk/image/sheet.js'
import type { Bitmap } from '../sdk/image/bitmap.js'

const OUT = resolve('out/start')
const started = Date.now()

if (existsSync('scripts/build-plugin.ts')) {
  console.log('building the Figma plugin …')
  const r = spawnSync('npx', ['tsx', 'scripts/build-plugin.ts'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const written: string[] = []
for (const kind of ['glyphs', 'icons'] as const) {
  const { path, trained } = defaultModel(kind)
  const gen = await Generator.load(path)
  const classes = gen.classes.slice(0, kind === 'glyphs' ? 62 : 24)
  const seeds = kind === 'glyphs' ? 4 : 8
  const rows: Bitmap[][] = []
  const labels: string[] = []
  if (kind === 'glyphs') {
    // Two rows per seed (A–Z a–e, f–z 0–9): the same latent decoded for every class shows one consistent "font".
    const half = Math.ceil(classes.length / 2)
    for (let s = 0; s < seeds; s++) {
      const z = gen.sample({ class: 0, n: 1, seed: s })[0]!
      const all = await gen.decode(classes.map(() => z), classes.map((c) => c.id))
      rows.push(all.slice(0, half), all.slice(half))
      labels.push(`seed ${s}`, '')
    }
  } else {
    for (const c of classes) {
      rows.push((await gen.generate({ class: c.id, n: seeds, seed: 1 })).bitmaps)
      labels.push(c.label)
    }
  }
  const file = join(OUT, `${kind}.png`)
  writeFileAtomic(file, encodeSheetPng(rows, { rowLabels: labels, title: `${gen.card.name}${trained ? '' : ' (UNTRAINED stand-in)'}` }))
  written.push(file)
  console.log(`${kind}: ${gen.card.name} on ${gen.backend} → ${file}`)
  if (!trained) console.log(`  note: models/${kind}.onnx is not trained yet, so this uses the untrained stand-in ${path} (noise-like images).`)
  await gen.dispose()
}
if (existsSync('dist/manifest.json') || existsSync('dist/code.js')) console.log(`Figma plugin: import ${resolve('manifest.json')} in Figma (Plugins → Development → Import plugin from manifest…)`)
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s — sample sheets: ${written.join(', ')}`)
