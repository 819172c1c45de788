/** The training progress bar line (steps/s, images/s, loss, ETA). */
import type { Progress } from '../../sdk/train/trainer.js'

export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?'
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
}

export function progressLine(p: Progress): string {
  const w = 24
  const f = Math.round((p.step / p.totalSteps) * w)
  return `[${'#'.repeat(f)}${'-'.repeat(w - f)}] ${((100 * p.step) / p.totalSteps).toFixed(1)}% step ${p.step}/${p.totalSteps} ep ${p.epoch} | ${p.stepsPerSec.toFixed(2)} step/s ${p.imagesPerSec.toFixed(0)} img/s | loss ${p.loss.toFixed(2)} (rec ${p.rec.toFixed(2)} kl ${p.kl.toFixed(2)}) | ETA ${fmtTime(p.etaSec)}`
}

