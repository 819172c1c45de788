/** An evaluation report as card metrics, a markdown section for models/README.md, and targets met or missed. */
import type { EvalReport } from './evaluate-model.js'

/**
 * The targets a model is judged against. Class consistency is relative to the classifier's accuracy on real test images;
 * grey share is generated ÷ real; fidelity IoU (at 256² against true outlines) is a glyph target.
 */
export const TARGETS = {
  consistencyGlyphs: 0.97, consistencyIcons: 0.95, nearCopyShare: 0.05, weightMonotone: 0.9,
  greyRatio: 1.5, strayShare: 0.02, fidelityIouGlyphs: 0.85, fidelityIouItalic: 0.75, topologyError: 0.05,
} as const

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4

/** Flat metrics for the model card (`metrics`). */
export function cardMetrics(r: EvalReport): Record<string, number | string> {
  const m: Record<string, number | string> = {
    eval_dataset_sha256: r.datasetSha256,
    classifier_test_accuracy: r4(r.classifier.testAccuracy),
    class_consistency: r4(r.consistency.accuracy),
    class_consistency_relative: r4(r.consistency.relative),
    reconstruction_accuracy: r4(r.reconstruction.accuracy),
    reconstruction_iou: r4(r.reconstruction.iou),
    test_nelbo: Math.round(r.elbo.nelbo * 100) / 100,
    test_rec: Math.round(r.elbo.rec * 100) / 100,
    test_kl: Math.round(r.elbo.kl * 100) / 100,
    diversity_generated: r4(r.diversity.generated),
    diversity_real: r4(r.diversity.real),
    near_copy_share: r4(r.novelty.nearCopyShare),
    near_copy_share_real: r4(r.noveltyReal.nearCopyShare),
    active_units: r.latent.activeDims.length,
  }
  if (r.transfer) Object.assign(m, { transfer_iou: r4(r.transfer.modelIou), transfer_baseline_iou: r4(r.transfer.baselineIou), transfer_win_rate: r4(r.transfer.winRate) })
  if (r.weightSweep) Object.assign(m, { weight_monotone_share: r4(r.weightSweep.monotoneShare), weight_recognised: r4(r.weightSweep.recognised) })
  const d = r.designer
  Object.assign(m, {
    grey_share_generated: r4(d.crispness.generated), grey_share_real: r4(d.crispness.real), grey_share_ratio: r4(d.crispness.ratio),
    entropy_bits_generated: r4(d.crispness.entropyGenerated), entropy_bits_real: r4(d.crispness.entropyReal),
    stray_share_generated: r4(d.vectors.generated.strayShare), stray_share_real: r4(d.vectors.real.strayShare),
    parts_mean_generated: r4(d.vectors.generated.meanParts), parts_mean_real: r4(d.vectors.real.meanParts),
    holes_mean_generated: r4(d.vectors.generated.meanHoles), holes_mean_real: r4(d.vectors.real.meanHoles),
    curves_per_100px_generated: r4(d.vectors.generated.curvesPer100px), curves_per_100px_real: r4(d.vectors.real.curvesPer100px),
    parts_tv_per_class: r4(d.vectors.topology.partsTv), holes_tv_per_class: r4(d.vectors.topology.holesTv),
    precision_k3: r4(d.precisionRecall.precision), recall_k3: r4(d.precisionRecall.recall),
  })
  const g = r.grid.designer
  Object.assign(m, {
    grid_class_consistency_relative: r4(r.grid.consistency.relative),
    grid_grey_share_ratio: r4(g.crispness.ratio),
    grid_stray_share: r4(g.vectors.generated.strayShare),
    grid_precision_k3: r4(g.precisionRecall.precision),
    grid_recall_k3: r4(g.precisionRecall.recall),
  })
  const f = r.fidelity
  if ('iou' in f) {
    Object.assign(m, { fidelity_items: f.count, fidelity_iou256: r4(f.iou), fidelity_topology_error: r4(f.topologyError), fidelity_tracer_iou256: r4(f.tracer.iou), fidelity_tracer_topology_error: r4(f.tracer.topologyError) })
    for (const [g, v] of Object.entries(f.groups)) Object.assign(m, { [`fidelity_iou256_${g}`]: r4(v.iou), [`fidelity_topology_error_${g}`]: r4(v.topologyError) })
  }
  return m
}

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`
const ok = (pass: boolean): string => (pass ? 'met' : '**missed**')

/** Rows of [metric, value, target, status]. */
export function resultRows(r: EvalReport): string[][] {
  const target = r.kind === 'glyphs' ? TARGETS.consistencyGlyphs : TARGETS.consistencyIcons
  const rows: string[][] = [
    ['classifier accuracy, real test split (ceiling)', pct(r.classifier.testAccuracy), '', ''],
    [`class consistency (${r.consistency.perClass} prior samples per class)`, `${pct(r.consistency.accuracy)} = ${pct(r.consistency.relative)} of ceiling`, `≥ ${pct(target)} of ceiling`, ok(r.consistency.relative >= target)],
    ['reconstructions of the real test split: classifier accuracy, mask IoU', `${pct(r.reconstruction.accuracy)}, IoU ${r.reconstruction.iou.toFixed(3)}`, '', ''],
    ['test −ELBO (nats/image, held-out sources, dynamic binarisation)', `${r.elbo.nelbo.toFixed(1)} (rec ${r.elbo.rec.toFixed(1)}, KL ${r.elbo.kl.toFixed(1)})`, '', ''],
    ['diversity: mean pairwise RMS distance in a class, generated / real', `${r.diversity.generated.toFixed(3)} / ${r.diversity.real.toFixed(3)} (×${r.diversity.ratio.toFixed(2)})`, '', ''],
    ['novelty: within IoU 0.95 of a training image, generated / real test', `${pct(r.novelty.nearCopyShare)} / ${pct(r.noveltyReal.nearCopyShare)}`, `< ${pct(TARGETS.nearCopyShare)}`, ok(r.novelty.nearCopyShare < TARGETS.nearCopyShare)],
  ]
  if (r.transfer) rows.push([`style transfer: mean mask IoU on ${r.transfer.fonts} held-out fonts (${r.transfer.trials} trials)`, `${r.transfer.modelIou.toFixed(3)} vs baseline ${r.transfer.baselineIou.toFixed(3)} (wins ${pct(r.transfer.winRate)})`, 'beat baseline', ok(r.transfer.modelIou > r.transfer.baselineIou)])
  rows.push(...designerRows(r))
  const g = r.grid.designer
  rows.push([
    "the plugin's grid (the cleaner of 2 draws per variant): consistency, grey share ratio, stray parts, precision / recall",
    `${pct(r.grid.consistency.relative)} of ceiling, ×${g.crispness.ratio.toFixed(2)}, ${pct(g.vectors.generated.strayShare)}, ${pct(g.precisionRecall.precision)} / ${pct(g.precisionRecall.recall)}`,
    '',
    '',
  ])
  rows.push([`active units (variance of the posterior mean > 0.01, ${r.latent.count} val images)`, `${r.latent.activeDims.length} / ${r.latent.klPerDim.length} (KL ${r.latent.klPerDim.reduce((a, b) => a + b, 0).toFixed(1)} nats)`, '', ''])
  for (const d of r.directions) rows.push([`direction "${d.name}" (${d.count} training items)`, `fit correlation ${d.fitCorrelation.toFixed(2)}, range [${d.range[0]}, ${d.range[1]}]`, '', ''])
  if (r.weightSweep) {
    const w = r.weightSweep
    rows.push([`"weight" sweep: coverage rises monotonically (${w.samples} samples)`, `${pct(w.monotoneShare)} (coverage ${w.coverageLow.toFixed(3)} → ${w.coverageHigh.toFixed(3)})`, `≥ ${pct(TARGETS.weightMonotone)}`, ok(w.monotoneShare >= TARGETS.weightMonotone)])
    rows.push(['"weight" sweep: classifier still recognises the class', pct(w.recognised), '', ''])
  }
  return rows
}

/** What a designer sees: crispness, traced vectors, precision / recall, reconstruction fidelity. */
function designerRows(r: EvalReport): string[][] {
  const d = r.designer
  const v = d.vectors
  const pr = d.precisionRecall
  const rows: string[][] = [
    ['crispness: grey share of ink (0.15 < p < 0.85 among p > 0.15), generated / real', `${pct(d.crispness.generated)} / ${pct(d.crispness.real)} (×${d.crispness.ratio.toFixed(2)})`, `≤ ×${TARGETS.greyRatio}`, ok(d.crispness.ratio <= TARGETS.greyRatio)],
    ['crispness: binary entropy per pixel, generated / real (bits)', `${d.crispness.entropyGenerated.toFixed(3)} / ${d.crispness.entropyReal.toFixed(3)}`, '', ''],
    [`traced samples with stray parts (2–8 px²), generated (${v.perClass} per class) / real test`, `${pct(v.generated.strayShare)} / ${pct(v.real.strayShare)}`, `≤ ${pct(TARGETS.strayShare)}`, ok(v.generated.strayShare <= TARGETS.strayShare)],
    ['traced parts and holes per image, generated / real', `parts ${v.generated.meanParts.toFixed(2)} / ${v.real.meanParts.toFixed(2)}, holes ${v.generated.meanHoles.toFixed(2)} / ${v.real.meanHoles.toFixed(2)}`, '', ''],
    ['outline wobble: traced curves per 100 px of outline, generated / real', `${v.generated.curvesPer100px.toFixed(2)} / ${v.real.curvesPer100px.toFixed(2)} (×${(v.generated.curvesPer100px / Math.max(1e-9, v.real.curvesPer100px)).toFixed(2)})`, '', ''],
    [`part / hole count distributions vs real, per class (total variation, ${v.topology.classes} classes)`, `parts ${v.topology.partsTv.toFixed(3)}, holes ${v.topology.holesTv.toFixed(3)}; worst ${v.topology.worst.slice(0, 3).map((w) => `\`${w.label}\``).join(', ')}`, '', ''],
    [`precision / recall in classifier features (k = ${pr.k}, ${pr.generated} samples vs ${pr.real} real)`, `${pct(pr.precision)} / ${pct(pr.recall)}`, '', ''],
  ]
  const f = r.fidelity
  if (!('iou' in f)) {
    rows.push(['reconstruction fidelity vs true outlines', `skipped: ${f.skipped}`, '', ''])
    return rows
  }
  const glyphs = r.kind === 'glyphs'
  rows.push([`reconstruction IoU@${f.outlineSize} vs true outline (traced posterior-mean decode, ${f.count} test items)`, `${f.iou.toFixed(3)} (tracer on the real raster: ${f.tracer.iou.toFixed(3)})`, glyphs ? `≥ ${TARGETS.fidelityIouGlyphs}` : '', glyphs ? ok(f.iou >= TARGETS.fidelityIouGlyphs) : ''])
  for (const [g, s] of Object.entries(f.groups)) {
    const italic = g === 'italic'
    rows.push([`… ${g} (${s.count} items): IoU, topology error`, `${s.iou.toFixed(3)}, ${pct(s.topologyError)}`, italic ? `IoU ≥ ${TARGETS.fidelityIouItalic}` : '', italic ? ok(s.iou >= TARGETS.fidelityIouItalic) : ''])
  }
  const k = f.kinds
  rows.push(['reconstructions with a topology error (parts or holes ≠ true outline)', `${pct(f.topologyError)} (extra parts ${pct(k.extraParts)}, missing parts ${pct(k.missingParts)}, missing holes ${pct(k.missingHoles)}, extra holes ${pct(k.extraHoles)}; tracer on the real raster ${pct(f.tracer.topologyError)})`, `≤ ${pct(TARGETS.topologyError)}`, ok(f.topologyError <= TARGETS.topologyError)])
  return rows
}

export function markdownTable(rows: string[][]): string {
  return ['| metric | value | target | |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}
