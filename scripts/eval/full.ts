/**
 * `npm run eval -- --model X --data D.ltds [--write-card]`: the full evaluation (sdk/eval/evaluate-model.ts). Prints a table
 * and one JSON line; with --write-card also rewrites the model's card (metrics, latentKl, directions; weights
 * untouched), replaces the model's section in models/README.md and writes sample, traced-vector, worst-sample and
 * traversal sheets beside the model. Reconstruction fidelity needs the true outlines from the data build's packages
 * (scripts/eval/true-outline.ts); without them it is skipped with a note.
 */
import { readFileSync, existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { LatentypeError } from '../../sdk/errors.js'
import { readDataset } from '../../sdk/data/node.js'
import { withCard, upsertSection } from '../../sdk/eval/card-update.js'
import { EvalGenerator } from '../../sdk/eval/eval-generator.js'
import { evaluateModel, type EvalReport } from '../../sdk/eval/evaluate-model.js'
import { classSampleSheets, topologySheet, traversalSheet, worstSampleSheets } from '../../sdk/eval/latent.js'
import { cardMetrics, markdownTable, resultRows } from '../../sdk/eval/report.js'
import type { ModelCard } from '../../sdk/model/card.js'
import { parseModelFile } from '../../sdk/model/file.js'
import { writeFileAtomic } from '../../sdk/node/atomic.js'
import { trueOutlines } from './true-outline.js'

export interface FullArgs {
  model: string
  data: string
  seed: string
  threads?: string
  'write-card': boolean
  readme: string
  classifier?: string
  'per-class': string
  /** Test items scored against true outlines (default: the whole test split). */
  'fidelity-items'?: string
  /** Prior samples per class traced for the vector measures (default 32). */
  'trace-per-class'?: string
}

export async function fullEval(a: FullArgs): Promise<void> {
  const t0 = Date.now()
  const log = (msg: string): void => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`)
  const modelBytes = new Uint8Array(readFileSync(a.model))
  const { card } = parseModelFile(modelBytes, a.model)
  const datasetBytes = new Uint8Array(readFileSync(a.data))
  const ds = await readDataset(a.data)
  const threads = a.threads ? Number(a.threads) : undefined
  const report = await evaluateModel(modelBytes, ds, datasetBytes, {
    classifierPath: a.classifier ?? join(dirname(a.data), 'classifier.onnx'),
    seed: Number(a.seed),
    perClass: Number(a['per-class']),
    threads,
    outlines: (items) => trueOutlines(ds, items),
    fidelityItems: a['fidelity-items'] ? positiveInt('fidelity-items', a['fidelity-items']) : undefined,
    tracePerClass: a['trace-per-class'] ? Number(a['trace-per-class']) : undefined,
    log,
  })
  const rows = resultRows(report)
  console.log(`\n${card.name} (${card.kind}) on ${a.data}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`)
  const w = Math.max(...rows.map((r) => r[0]!.length))
  for (const r of rows) console.log(`${r[0]!.padEnd(w)}  ${r[1]}${r[2] ? `   (target ${r[2]}: ${r[3]!.replace(/\*/g, '')})` : ''}`)
  console.log(JSON.stringify({ model: a.model, data: a.data, ...cardMetrics(report), latentKl: report.latent.klPerDim.map((v) => Math.round(v * 1e4) / 1e4), worstClasses: report.consistency.worst }))
  if (a['write-card']) await writeOutputs(a, modelBytes, card, report, threads, log)
}

async function writeOutputs(a: FullArgs, bytes: Uint8Array, card: ModelCard, r: EvalReport, threads: number | undefined, log: (m: string) => void): Promise<void> {
  const updated = withCard(bytes, (c) => ({
    ...c,
    metrics: { ...c.metrics, ...cardMetrics(r) },
    latentKl: r.latent.klPerDim.map((v) => Math.round(v * 1e4) / 1e4),
    directions: r.directions.map((d) => ({ name: d.name, label: d.label, vector: d.vector.map((v) => Math.round(v * 1e6) / 1e6), range: d.range })),
  }), a.model)
  writeFileAtomic(a.model, updated)
  log(`card rewritten in ${a.model} (weights unchanged)`)
  const stem = join(dirname(a.model), basename(a.model, '.onnx'))
  const runner = await EvalGenerator.open(updated, { threads })
  const write = (what: string, pngs: Uint8Array[]): string[] => pngs.map((png, i) => {
    const p = `${stem}-${what}-${String(i + 1).padStart(2, '0')}.png`
    writeFileAtomic(p, png)
    return p
  })
  const sheetNames = write('samples', await classSampleSheets(runner, { seed: Number(a.seed) }))
  const tracedNames = write('traced', await classSampleSheets(runner, { seed: Number(a.seed), traced: true }))
  const worstNames = write('worst', await worstSampleSheets(runner, r.designer.worst, { seed: Number(a.seed), per: Number(a['per-class']) }))
  const topologyNames = r.topologyFailures.length ? write('topology', [topologySheet(card.name, r.topologyFailures, card.imageSize)]) : []
  const byKl = r.latent.klPerDim.map((kl, d) => ({ kl, d })).sort((x, y) => y.kl - x.kl)
  const dims = (r.latent.activeDims.length ? byKl.filter((x) => r.latent.activeDims.includes(x.d)) : byKl.slice(0, 8)).map((x) => x.d)
  const traversalClass = Math.max(0, card.classes.findIndex((c) => c.label === (card.kind === 'glyphs' ? 'a' : 'heart')))
  const traversal = `${stem}-traversal.png`
  writeFileAtomic(traversal, await traversalSheet(runner, dims, traversalClass, { klPerDim: r.latent.klPerDim }))
  await runner.dispose()
  const rel = (p: string): string => (dirname(p) === dirname(a.readme) ? basename(p) : p)
  const links = (ps: string[]): string => ps.map((p) => `[${basename(p)}](${rel(p)})`).join(', ')
  const body = [
    `## ${card.name} (${card.kind}) — \`${rel(a.model)}\``,
    '',
    `Evaluated with \`npm run eval -- --model ${a.model} --data ${a.data} --write-card\` (seed ${a.seed}; dataset SHA-256 \`${r.datasetSha256.slice(0, 16)}…\`; ${new Date().toISOString().slice(0, 10)}).`,
    '',
    markdownTable(resultRows(r)),
    '',
    `Least consistent classes: ${r.consistency.worst.map((w) => `\`${w.label}\` ${(w.accuracy * 100).toFixed(0)} %`).join(', ')}.`,
    '',
    `Sample sheets (every class): ${links(sheetNames)}. The same samples traced (what the plugin inserts): ${links(tracedNames)}. Worst samples per class: ${links(worstNames)}.${topologyNames.length ? ` Reconstructions with a topology error: ${links(topologyNames)}.` : ''} Latent traversal: [${basename(traversal)}](${rel(traversal)}).`,
  ].join('\n')
  const readme = existsSync(a.readme) ? readFileSync(a.readme, 'utf8') : '# Models\n\nEvaluation results, written by `npm run eval -- --write-card`.\n'
  writeFileAtomic(a.readme, upsertSection(readme, card.name, body))
  log(`wrote ${sheetNames.length} sample, ${tracedNames.length} traced and ${worstNames.length} worst-sample sheets, ${traversal} and the "${card.name}" section of ${a.readme}`)
}

/** A positive whole number for option --`flag`, else an error naming it. */
function positiveInt(flag: string, v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new LatentypeError('BAD_ARGUMENT', `--${flag} must be a whole number ≥ 1 (got "${v}") — e.g. --${flag} 400, or leave it out for every test item`)
  return n
}
