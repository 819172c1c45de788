/**
 * The files of a training run folder, all written atomically: config.json, metrics.jsonl (one JSON object per
 * logged step), loss.svg (train loss and validation −ELBO), samples/epoch-NNN.png, checkpoint.ltck.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LatentypeError } from '../errors.js'
import { encodeSheetPng } from '../image/sheet.js'
import { writeFileAtomic } from '../node/atomic.js'
import { fsError, mkdirAll } from '../node/fs-errors.js'
import { lossCurvesSvg } from './plot.js'

export interface MetricsLine {
  step: number
  epoch: number
  /** Training batch loss and reconstruction term: weighted per pixel with `topologyWeight` (the `val.*` ELBO is not). */
  loss: number
  rec: number
  kl: number
  gradNorm: number
  lr: number
  beta: number
  'val.nelbo'?: number
  'val.rec'?: number
  'val.kl'?: number
}

export class RunFiles {
  readonly checkpointPath: string
  private readonly metricsPath: string

  /** The files a run writes; `--force` removes them before a fresh run. */
  static readonly RUN_FILES = ['config.json', 'metrics.jsonl', 'loss.svg', 'checkpoint.ltck', 'model.onnx', 'samples'] as const

  /**
   * Before a fresh (not resumed) run into `dir`: refuses a folder that already holds a run unless `force`, and
   * checks the folder can be created and written. Deletes nothing (see {@link clear}). Problems are
   * LatentypeErrors (OUTPUT_EXISTS, FILE_SYSTEM) that name the folder and the fix.
   */
  static checkFresh(dir: string, o: { force?: boolean } = {}): void {
    try {
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw Object.assign(new Error(`EEXIST: ${dir}`), { code: 'EEXIST', syscall: 'mkdir', path: dir })
    } catch (e) {
      throw fsError(e, { path: dir, action: 'use the run folder', flag: '--out' }) ?? e
    }
    const existing = RunFiles.RUN_FILES.filter((f) => existsSync(join(dir, f)))
    if (!o.force && existing.some((f) => f === 'metrics.jsonl' || f === 'checkpoint.ltck')) {
      throw new LatentypeError('OUTPUT_EXISTS', `${dir} already holds a training run (${existing.join(', ')}) — continue it with --resume, pass --force to delete it and start over, or choose another --out`)
    }
    RunFiles.checkWritable(dir)
  }

  /** Deletes a previous run's files from `dir` (`--force`); other files are left alone. */
  static clear(dir: string): void {
    try {
      for (const f of RunFiles.RUN_FILES) rmSync(join(dir, f), { recursive: true, force: true })
    } catch (e) {
      throw fsError(e, { path: dir, action: 'clear the run folder', flag: '--out' }) ?? e
    }
  }

  /** Creates `dir` and writes (then removes) a small probe file: read-only folders fail here, before training. */
  static checkWritable(dir: string): void {
    const ctx = { path: dir, action: 'write the run folder', flag: '--out' }
    try {
      mkdirAll(dir)
      const probe = join(dir, `.write-test.${process.pid}`)
      writeFileSync(probe, 'ok')
      unlinkSync(probe)
    } catch (e) {
      throw fsError(e, ctx) ?? e
    }
  }

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true })
    this.checkpointPath = join(dir, 'checkpoint.ltck')
    this.metricsPath = join(dir, 'metrics.jsonl')
  }

  /** A fresh run: writes config.json and clears the metrics. */
  start(config: unknown): void {
    writeFileAtomic(join(this.dir, 'config.json'), JSON.stringify(config, null, 2) + '\n')
    writeFileAtomic(this.metricsPath, '')
  }

  /** Metrics lines up to and including `step` (what a resumed run continues from). */
  readHistory(step: number): MetricsLine[] {
    if (!existsSync(this.metricsPath)) return []
    return readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as MetricsLine & { event?: string })
      .filter((m) => m.event === undefined && m.step <= step)
  }

  /** Rewrites metrics.jsonl and loss.svg from the full history. */
  writeMetrics(history: readonly MetricsLine[]): void {
    writeFileAtomic(this.metricsPath, history.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const val = history.filter((m) => m['val.nelbo'] !== undefined).map((m): [number, number] => [m.step, m['val.nelbo']!])
    const svg = lossCurvesSvg(
      [
        { name: 'train loss (β-weighted)', color: '#1f77b4', points: history.map((m) => [m.step, m.loss]) },
        { name: 'validation −ELBO', color: '#d62728', points: val },
      ],
      { title: 'latentype training', yLabel: 'nats per image' },
    )
    writeFileAtomic(join(this.dir, 'loss.svg'), svg)
  }

  appendEvent(e: Record<string, unknown>): void {
    appendFileSync(this.metricsPath, JSON.stringify(e) + '\n')
  }

  /** samples/epoch-NNN.png: one row per class, fixed latents per column. */
  writeSheet(epoch: number, sheet: { labels: string[]; rows: Float32Array[][]; size: number }): void {
    const rows = sheet.rows.map((r) => r.map((data) => ({ width: sheet.size, height: sheet.size, data })))
    const png = encodeSheetPng(rows, { rowLabels: sheet.labels, scale: Math.max(1, Math.floor(64 / sheet.size)), title: `epoch ${epoch}` })
    writeFileAtomic(join(this.dir, 'samples', `epoch-${String(epoch).padStart(3, '0')}.png`), png)
  }
}
