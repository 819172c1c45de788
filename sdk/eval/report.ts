/** An evaluation report as card metrics, a markdown section for models/README.md, and targets met or missed. */
import type { EvalReport } from './evaluate-model.js'

/** Issue 5's targets. Class consistency is relative to the classifier's accuracy on real test images. */
export const TARGETS = { consistencyGlyphs: 0.97, consistencyIcons: 0.95, nearCopyShare: 0.05, weightMonotone: 0.9 } as const

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
    active_units: r.latent.activeDims.length,
  }
  if (r.transfer) Object.assign(m, { transfer_iou: r4(r.transfer.modelIou), transfer_baseline_iou: r4(r.transfer.baselineIou), transfer_win_rate: r4(r.transfer.winRate) })
  if (r.weightSweep) Object.assign(m, { weight_monotone_share: r4(r.weightSweep.monotoneShare), weight_recognised: r4(r.weightSweep.recognised) })
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
    ['novelty: generated within IoU 0.95 of a training image', pct(r.novelty.nearCopyShare), `< ${pct(TARGETS.nearCopyShare)}`, ok(r.novelty.nearCopyShare < TARGETS.nearCopyShare)],
  ]
  if (r.transfer) rows.push([`style transfer: mean mask IoU on ${r.transfer.fonts} held-out fonts (${r.transfer.trials} trials)`, `${r.transfer.modelIou.toFixed(3)} vs baseline ${r.transfer.baselineIou.toFixed(3)} (wins ${pct(r.transfer.winRate)})`, 'beat baseline', ok(r.transfer.modelIou > r.transfer.baselineIou)])
  rows.push([`active units (variance of the posterior mean > 0.01, ${r.latent.count} val images)`, `${r.latent.activeDims.length} / ${r.latent.klPerDim.length} (KL ${r.latent.klPerDim.reduce((a, b) => a + b, 0).toFixed(1)} nats)`, '', ''])
  for (const d of r.directions) rows.push([`direction "${d.name}" (${d.count} training items)`, `fit correlation ${d.fitCorrelation.toFixed(2)}, range [${d.range[0]}, ${d.range[1]}]`, '', ''])
  if (r.weightSweep) {
    const w = r.weightSweep
    rows.push([`"weight" sweep: coverage rises monotonically (${w.samples} samples)`, `${pct(w.monotoneShare)} (coverage ${w.coverageLow.toFixed(3)} → ${w.coverageHigh.toFixed(3)})`, `≥ ${pct(TARGETS.weightMonotone)}`, ok(w.monotoneShare >= TARGETS.weightMonotone)])
    rows.push(['"weight" sweep: classifier still recognises the class', pct(w.recognised), '', ''])
  }
  return rows
}

export function markdownTable(rows: string[][]): string {
  return ['| metric | value | target | |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}
