/**
 * Builds the small real test fixtures under tests/fixtures/ from the installed data-build packages:
 * a subset of two iconify sets (ph: duotone layers; fa: non-square viewBoxes) and two fontsource fonts.
 * Run: `npx tsx scripts/data/fixtures.ts` (after `npm install --prefix scripts/data`).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageDir } from './util.js'

const out = new URL('../../tests/fixtures/', import.meta.url).pathname
const iconify = packageDir('@iconify/json')
const PICK = /^(heart|house|home|gear|cog|bell|star|trash|user|magnifying-glass|search|x|times|close|check|arrow-up|arrow-down|plus|minus|envelope|lock)(-(fill|duotone|bold|thin|o|alt))?$/
const collections = JSON.parse(readFileSync(join(iconify, 'collections.json'), 'utf8')) as Record<string, unknown>
mkdirSync(join(out, 'iconify', 'json'), { recursive: true })
const subsetCollections: Record<string, unknown> = {}
for (const prefix of ['ph', 'fa']) {
  const set = JSON.parse(readFileSync(join(iconify, 'json', `${prefix}.json`), 'utf8')) as { icons: Record<string, unknown>; aliases?: Record<string, { parent: string }> } & Record<string, unknown>
  const icons = Object.fromEntries(Object.entries(set.icons).filter(([n]) => PICK.test(n)))
  const aliases = Object.fromEntries(Object.entries(set.aliases ?? {}).filter(([n, a]) => PICK.test(n) && a.parent in icons))
  writeFileSync(join(out, 'iconify', 'json', `${prefix}.json`), JSON.stringify({ ...set, icons, aliases }))
  subsetCollections[prefix] = collections[prefix]
  console.log(`${prefix}: ${Object.keys(icons).length} icons, ${Object.keys(aliases).length} aliases`)
}
writeFileSync(join(out, 'iconify', 'collections.json'), JSON.stringify(subsetCollections, null, 2))
copyFileSync(join(iconify, 'package.json'), join(out, 'iconify', 'package.json'))
// metadata lists weight 400 only; roboto's 300 and 700 files are there for tests that list them (bold vs light)
const FONTS: Record<string, number[]> = { roboto: [400, 300, 700], lora: [400], 'roboto-flex': [400], 'bebas-neue': [400] }
for (const [id, weights] of Object.entries(FONTS)) {
  const src = packageDir(`@fontsource/${id}`)
  const dst = join(out, 'fonts', id)
  mkdirSync(join(dst, 'files'), { recursive: true })
  const meta = JSON.parse(readFileSync(join(src, 'metadata.json'), 'utf8')) as Record<string, unknown>
  writeFileSync(join(dst, 'metadata.json'), JSON.stringify({ ...meta, weights: [400], styles: ['normal'] }, null, 2))
  copyFileSync(join(src, 'LICENSE'), join(dst, 'LICENSE'))
  for (const w of weights) copyFileSync(join(src, 'files', `${id}-latin-${w}-normal.woff2`), join(dst, 'files', `${id}-latin-${w}-normal.woff2`))
}
writeFileSync(join(out, 'README.md'), `# Test fixtures\n\nBuilt by \`npx tsx scripts/data/fixtures.ts\` from the real packages (\`npm install --prefix scripts/data\`).\n\n- \`iconify/\`: a subset of \`@iconify/json\` — sets \`ph\` (Phosphor, MIT, by Phosphor Icons) and \`fa\` (Font Awesome 4, OFL-1.1, by Dave Gandy); see \`iconify/collections.json\` for license and author.\n- \`fonts/\`: latin woff2 files of four \`@fontsource\` packages (SIL OFL 1.1, license files beside them): \`roboto\` 400 (plus 300 and 700, for tests that list those weights: each metadata.json lists 400 only), \`lora\` 400, \`roboto-flex\` 400 (a near-duplicate of Roboto in the same family group) and \`bebas-neue\` 400 (caps only: fewer than 55 distinct shapes).\n`)
