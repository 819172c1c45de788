/** The dataset card: Markdown + JSON with counts per class/split, license + author per source, filters, checksum. */
import { join } from 'node:path'
import { countsByClassAndSplit } from '../../sdk/data/access.js'
import { writeFileAtomic } from '../../sdk/data/node.js'
import type { Dataset } from '../../sdk/data/types.js'

/** What the build filtered, by reason, with examples (names) for review. */
export interface FilterReport {
  [reason: string]: { count: number; examples: string[] }
}

export interface CardInput {
  ds: Dataset
  file: string
  bytes: number
  sha256: string
  command: string
  packages: Record<string, string>
  filtered: FilterReport
  notes: string[]
  sheets: string[]
}

export async function writeCard(dir: string, input: CardInput): Promise<void> {
  const { ds } = input
  const counts = countsByClassAndSplit(ds)
  const perSource = new Map<number, number>()
  for (let i = 0; i < ds.count; i++) perSource.set(ds.sourceIds[i]!, (perSource.get(ds.sourceIds[i]!) ?? 0) + 1)
  const splitTotals = [0, 1, 2].map((k) => counts.reduce((a, c) => a + c[k]!, 0))
  const json = {
    kind: ds.kind,
    file: input.file,
    bytes: input.bytes,
    sha256: input.sha256,
    formatVersion: ds.version,
    command: input.command,
    size: ds.size,
    count: ds.count,
    splits: { train: splitTotals[0], val: splitTotals[1], test: splitTotals[2] },
    classes: ds.classes.map((c) => ({ label: c.label, synonyms: c.synonyms, train: counts[c.id]![0], val: counts[c.id]![1], test: counts[c.id]![2] })),
    sources: ds.sources.map((s) => ({ name: s.name, group: s.group, title: s.title, license: s.license, licenseUrl: s.licenseUrl, author: s.author, url: s.url, split: s.split, tags: s.tags, items: perSource.get(s.id) ?? 0 })),
    itemTags: ds.tags,
    filtered: input.filtered,
    packages: input.packages,
    notes: input.notes,
    contactSheets: input.sheets,
  }
  await writeFileAtomic(join(dir, 'card.json'), `${JSON.stringify(json, null, 2)}\n`)
  const md: string[] = []
  md.push(`# Dataset card: ${ds.kind}`, '')
  md.push(`- File: \`${input.file}\` — ${input.bytes} bytes, format version ${ds.version}`)
  md.push(`- SHA-256: \`${input.sha256}\` (rebuild with the command below and compare)`)
  md.push(`- Command: \`${input.command}\``)
  md.push(`- ${ds.count} images of ${ds.size}×${ds.size} (uint8 coverage), ${ds.classes.length} classes, ${ds.sources.length} sources`)
  md.push(`- Splits (by source group: whole libraries / families held out): train ${splitTotals[0]}, val ${splitTotals[1]}, test ${splitTotals[2]}`)
  md.push(`- Packages: ${Object.entries(input.packages).map(([k, v]) => `${k}@${v}`).join(', ')}`)
  md.push(`- Contact sheets: ${input.sheets.map((s) => `[${s}](${s})`).join(', ')}`, '')
  if (input.notes.length) md.push('## Notes', '', ...input.notes.map((n) => `- ${n}`), '')
  md.push('## Filtered', '', '| reason | count | examples |', '| --- | ---: | --- |')
  for (const [reason, r] of Object.entries(input.filtered)) md.push(`| ${reason} | ${r.count} | ${r.examples.slice(0, 6).map((e) => `\`${e}\``).join(', ')} |`)
  md.push('', '## Classes', '', '| class | synonyms | train | val | test |', '| --- | --- | ---: | ---: | ---: |')
  for (const c of json.classes) md.push(`| \`${c.label}\` | ${c.synonyms.join(', ')} | ${c.train} | ${c.val} | ${c.test} |`)
  md.push('', '## Sources, licenses and authors', '', '| source | title | license | author | split | items |', '| --- | --- | --- | --- | --- | ---: |')
  for (const s of json.sources) {
    const lic = s.licenseUrl ? `[${s.license}](${s.licenseUrl})` : s.license
    const author = s.url ? `[${s.author.replace(/\|/g, '/')}](${s.url})` : s.author.replace(/\|/g, '/')
    md.push(`| \`${s.name}\` | ${s.title} | ${lic} | ${author} | ${s.split} | ${s.items} |`)
  }
  md.push('')
  await writeFileAtomic(join(dir, 'CARD.md'), md.join('\n'))
}
