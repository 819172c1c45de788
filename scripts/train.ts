/**
 * npm run train -- --data <mnist|dataset.ltds> --spec <preset|spec.json> --epochs N --out runs/<name> [--resume]
 *
 * Trains the CVAE on onnxruntime-node with a progress bar, writes checkpoints, metrics, sample sheets and a loss
 * plot into --out, and exports --out/model.onnx (encoder + decoder + model card) at the end.
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { isInputError, LatentypeError } from '../sdk/errors.js'
import { resolveSpec, type CvaeSpec } from '../sdk/model/spec.js'
import { writeFileAtomic } from '../sdk/node/atomic.js'
import { describeFsError } from '../sdk/node/fs-errors.js'
import { RunFiles } from '../sdk/train/run-files.js'
import { Trainer } from '../sdk/train/trainer.js'
import { readModelWeights } from '../sdk/train/model-weights.js'
import type { TrainConfig } from '../sdk/train/config.js'
import { loadData } from './train/load-data.js'
import { fmtTime, progressLine } from './train/progress.js'

const HELP = `usage: npm run train -- --data <mnist|file.ltds> --spec <tiny|demo64|glyph64|small32|base64|spec.json> --out runs/<name>
  --latent N                 override the spec's latent size (latent-size sweeps without a spec file)
  --likelihood bernoulli|cb|field|field-gaussian  pixel likelihood (cb = continuous Bernoulli, for grey coverage with
                             --binarize none; field = Laplace on a signed distance field: the decoder draws the median
                             contour; field-gaussian = a Normal on the field: the mean field)
  --epochs N | --steps N     length of the run
  --batch 128  --lr 1e-3  --seed 1  --schedule cosine|constant  --warmup 0
  --beta 1  --kl-warmup 0 (steps)  --free-bits 0 (nats/dim)  --clip-norm 0  --weight-decay 0
  --binarize dynamic|threshold|none  --val-every (steps, default each epoch)  --threads N
  --style-pairs 0.5          share of each batch decoded as another class of the same font/icon set (0 = plain ELBO)
  --topology-weight 0        extra weight of the reconstruction term on the middles of thin strokes and small parts
                             (≤ ~4 px across): 8 makes those pixels count 9×, so reconstructions and samples keep the
                             hairlines, serifs and dots a soft decoder breaks or drops (0 = the plain likelihood)
  --name <model name>  --fp16 (store weights as float16)
  --resume                   continue from --out/checkpoint.ltck
  --init <model.onnx>        start from a model file's weights instead of random ones: fine-tuning; a model whose
                             decoder maps (conv widths after the first) are narrower is widened without changing
                             what it draws (new channels start with zero outgoing weights)
  --force                    start over in an --out that already holds a run (deletes its metrics, checkpoint, samples, model)`

/** --out, once parsed (the error handler names its checkpoint). */
let runDir: string | undefined

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      data: { type: 'string' }, spec: { type: 'string', default: 'small32' }, out: { type: 'string' }, epochs: { type: 'string' }, steps: { type: 'string' },
      batch: { type: 'string', default: '128' }, lr: { type: 'string', default: '1e-3' }, seed: { type: 'string', default: '1' }, schedule: { type: 'string', default: 'cosine' },
      warmup: { type: 'string', default: '0' }, beta: { type: 'string', default: '1' }, 'kl-warmup': { type: 'string', default: '0' }, 'free-bits': { type: 'string', default: '0' },
      'clip-norm': { type: 'string', default: '0' }, 'weight-decay': { type: 'string', default: '0' }, binarize: { type: 'string', default: 'dynamic' }, 'val-every': { type: 'string' },
      threads: { type: 'string' }, name: { type: 'string' }, 'style-pairs': { type: 'string', default: '0' }, fp16: { type: 'boolean', default: false }, resume: { type: 'boolean', default: false }, init: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      latent: { type: 'string' }, likelihood: { type: 'string' }, 'topology-weight': { type: 'string', default: '0' },
    },
  })
  if (a.help || !a.data || !a.out) {
    console.log(HELP)
    if (!a.help) process.exitCode = 2
    return
  }
  runDir = a.out
  if (a.resume && a.force) throw new LatentypeError('BAD_ARGUMENT', '--resume and --force contradict each other — --resume continues the run in --out, --force deletes it and starts over')
  // Before loading data or building graphs: a run folder in the way, or one that cannot be written, stops here.
  if (a.resume) RunFiles.checkWritable(a.out)
  else RunFiles.checkFresh(a.out, { force: a.force })
  const num = (k: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n)) throw new LatentypeError('BAD_ARGUMENT', `--${k} must be a number (got "${v}")`)
    return n
  }
  const specArg = a.spec!
  let partial: string | Partial<CvaeSpec> = specArg.endsWith('.json') ? (JSON.parse(readFileSync(specArg, 'utf8')) as Partial<CvaeSpec>) : specArg
  if (a.latent !== undefined) partial = { ...resolveSpec(partial, 1), latentSize: num('latent', a.latent) }
  if (a.likelihood !== undefined) {
    const lik = ({ bernoulli: 'bernoulli', cb: 'continuous-bernoulli', 'continuous-bernoulli': 'continuous-bernoulli', field: 'distance-field', 'distance-field': 'distance-field', 'field-gaussian': 'distance-field' } as const)[a.likelihood]
    if (!lik) throw new LatentypeError('BAD_ARGUMENT', `--likelihood must be bernoulli, cb (continuous Bernoulli), field or field-gaussian (distance field), got "${a.likelihood}"`)
    partial = { ...resolveSpec(partial, 1), likelihood: lik, ...(a.likelihood === 'field-gaussian' ? { fieldDensity: 'gaussian' as const } : {}) }
  }
  const probe = resolveSpec(partial, 1)
  const data = await loadData(a.data, probe.imageSize)
  const spec = resolveSpec(partial, data.train.classes.length)
  const config: TrainConfig = {
    spec, seed: num('seed', a.seed)!, batchSize: num('batch', a.batch)!, epochs: num('epochs', a.epochs), steps: num('steps', a.steps), lr: num('lr', a.lr)!,
    lrSchedule: a.schedule === 'constant' ? 'constant' : 'cosine', warmupSteps: num('warmup', a.warmup), beta: num('beta', a.beta), klWarmupSteps: num('kl-warmup', a['kl-warmup']),
    freeBits: num('free-bits', a['free-bits']), adam: { clipNorm: num('clip-norm', a['clip-norm']), weightDecay: num('weight-decay', a['weight-decay']) },
    binarize: a.binarize as TrainConfig['binarize'], validateEvery: num('val-every', a['val-every']), threads: num('threads', a.threads), stylePairs: num('style-pairs', a['style-pairs']),
    topologyWeight: num('topology-weight', a['topology-weight']),
  }
  console.log(`training ${specArg} on ${a.data}: ${data.train.count} train / ${data.val.count} val images, ${spec.numClasses} classes, ${spec.imageSize}px → ${a.out}`)
  if (a.force) RunFiles.clear(a.out)
  if (a.init && a.resume) throw new LatentypeError('BAD_ARGUMENT', '--init starts a new run from a model file; --resume continues a run from its checkpoint — use one')
  if (a.init && !existsSync(a.init)) throw new LatentypeError('FILE_NOT_FOUND', `--init ${a.init} does not exist — pass a model file of the same spec (or one whose decoder maps are narrower)`)
  const initModel = a.init ? readModelWeights(new Uint8Array(readFileSync(a.init)), a.init) : undefined
  const trainer = await Trainer.create(config, { train: data.train, val: data.val }, { outDir: a.out, resume: a.resume, ...(initModel ? { initWeights: initModel.weights, initSpec: initModel.card.spec } : {}) })
  if (a.resume) console.log(`resumed at step ${trainer.step}`)
  const tty = process.stdout.isTTY
  let lastPrint = 0
  const summary = await trainer.run({
    onProgress: (p) => {
      const now = Date.now()
      if (tty) process.stdout.write(`\r${progressLine(p)}\x1b[K`)
      else if (now - lastPrint > 10_000 || p.step === p.totalSteps) {
        console.log(progressLine(p))
        lastPrint = now
      }
    },
  })
  if (tty) process.stdout.write('\n')
  const model = trainer.exportModel({ name: a.name ?? basename(a.out), kind: data.kind, classes: data.classes, attribution: data.attribution, weightFormat: a.fp16 ? 'float16' : 'float32', training: { command: `npm run train -- ${process.argv.slice(2).join(' ')}`, dataset: a.data, seconds: summary.seconds } })
  writeFileAtomic(join(a.out, 'model.onnx'), model)
  await trainer.close()
  const v = summary.val
  console.log(`done: ${summary.steps} steps in ${fmtTime(summary.seconds)}; train loss ${summary.final.loss.toFixed(2)}${v ? `; val −ELBO ${v.nelbo.toFixed(2)} nats (rec ${v.rec.toFixed(2)}, KL ${v.kl.toFixed(2)})` : ''}; model → ${join(a.out, 'model.onnx')}`)
}

main().catch((e: unknown) => {
  // A full or read-only disk mid-run (checkpoint, metrics, samples): the path and the fix, not a stack.
  const fs = describeFsError(e, { flag: '--out' })
  const resumable = fs && runDir && existsSync(join(runDir, 'checkpoint.ltck')) ? '; the last good checkpoint is intact — rerun with --resume once fixed' : ''
  console.error(`\n${e instanceof LatentypeError ? `error (${e.code}): ${e.message}` : fs ? `error (FILE_SYSTEM): ${fs}${resumable}` : (e as Error).stack}`)
  process.exitCode = isInputError(e) || fs ? 2 : 1
})
