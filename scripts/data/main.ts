/**
 * `npm run data -- icons --classes 128 --out data/icons`
 * `npm run data -- glyphs --fonts 300 --out data/glyphs`
 * Builds a dataset file (`<kind>.ltds`), its card (CARD.md + card.json) and contact sheets into --out.
 * The heavy inputs live in scripts/data/package.json: `npm install --prefix scripts/data` first.
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { decodeDataset } from '../../sdk/data/format.js'
import { sha256Hex, writeFileAtomic } from '../../sdk/data/node.js'
import { isInputError, LatentypeError } from '../../sdk/errors.js'
import { writeCard } from './card.js'
import { parseWoff2 } from './fonts.js'
import { buildGlyphs, fontsourcePackages } from './glyphs.js'
import { buildIcons, type BuildResult } from './icons.js'
import { writeContactSheets } from './sheet.js'
import { intOption, packageDir, parseArgs } from './util.js'

const USAGE = `usage:
  npm run data -- icons  [--classes 128] [--out data/icons]  [--per-library 8] [--keep-outliers]
  npm run data -- glyphs [--fonts 300]   [--out data/glyphs]
first install the data build's own packages (not part of the SDK install):
  npm install --prefix scripts/data`

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version
}

async function finish(kind: string, out: string, command: string, result: BuildResult, packages: string[]): Promise<void> {
  const file = join(out, `${kind}.ltds`)
  await writeFileAtomic(file, result.bytes)
  const ds = decodeDataset(result.bytes)
  const labelFont = await parseWoff2(readFileSync(join(packageDir('@fontsource/roboto'), 'files', 'roboto-latin-400-normal.woff2')))
  const sheets = await writeContactSheets(ds, out, labelFont)
  const sha = sha256Hex(result.bytes)
  await writeCard(out, {
    ds, file: relative(process.cwd(), file), bytes: result.bytes.length, sha256: sha, command,
    packages: Object.fromEntries(packages.map((p) => [p, versionOf(p)])), filtered: result.filtered, notes: result.notes, sheets,
  })
  const counts = [0, 0, 0]
  for (let i = 0; i < ds.count; i++) counts[ds.splitCodes[i]!]!++
  console.log(`\n${kind}: ${ds.count} images, ${ds.classes.length} classes, ${ds.sources.length} sources (train ${counts[0]}, val ${counts[1]}, test ${counts[2]})`)
  for (const [reason, r] of Object.entries(result.filtered)) console.log(`  filtered ${reason}: ${r.count}`)
  console.log(`  wrote ${file} (${(result.bytes.length / 1e6).toFixed(1)} MB, sha256 ${sha.slice(0, 16)}…), ${join(out, 'CARD.md')}, ${sheets.length} contact sheets`)
}

async function main(): Promise<void> {
  const { command, options } = parseArgs(process.argv.slice(2))
  const cmdline = `npm run data -- ${process.argv.slice(2).join(' ')}`
  if (command === 'icons') {
    const out = options.get('out') ?? 'data/icons'
    const root = packageDir('@iconify/json')
    const result = buildIcons({ iconifyRoot: root, classes: intOption(options, 'classes', 128), perGroupCap: intOption(options, 'per-library', 8), keepOutliers: options.has('keep-outliers') })
    await finish('icons', out, cmdline, result, ['@iconify/json', '@resvg/resvg-js'])
  } else if (command === 'glyphs') {
    const out = options.get('out') ?? 'data/glyphs'
    const result = await buildGlyphs({ packages: fontsourcePackages(), fonts: intOption(options, 'fonts', 300) })
    await finish('glyphs', out, cmdline, result, ['@resvg/resvg-js', 'opentype.js', 'wawoff2'])
  } else {
    console.error(USAGE)
    process.exit(command === undefined || command === 'help' || options.has('help') ? 0 : 2)
  }
}

main().catch((e: unknown) => {
  if (e instanceof LatentypeError) console.error(`error (${e.code}): ${e.message}`)
  else console.error(e)
  process.exit(isInputError(e) ? 2 : 1)
})
