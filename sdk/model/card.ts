/**
 * The model card: everything a consumer needs to use a model, stored inside the .onnx file
 * (metadata_props key `latentype.card`, JSON). The plugin learns classes, sizes and sliders from it.
 */
import { LatentypeError } from '../errors.js'
import { validateSpec, type CvaeSpec } from './spec.js'

export const CARD_KEY = 'latentype.card'
export const FORMAT_VERSION = 1

export interface ClassInfo {
  id: number
  label: string
  synonyms: string[]
}

export interface Attribution {
  /** e.g. "iconify:tabler" or "fontsource:roboto". */
  source: string
  name?: string
  license: string
  author?: string
  url?: string
}

/** A named direction in latent space (e.g. "weight"), fitted from the data's style tags. */
export interface LatentDirection {
  name: string
  label: string
  vector: number[]
  /** Slider range in units of the direction (σ along it). */
  range?: [number, number]
}

export interface ModelCard {
  format: 'latentype-model'
  formatVersion: number
  name: string
  kind: 'icons' | 'glyphs' | 'other'
  description?: string
  imageSize: number
  channels: number
  latentSize: number
  classes: ClassInfo[]
  spec: CvaeSpec
  attribution: Attribution[]
  metrics: Record<string, number | string>
  /** Per-dimension KL (nats) on validation data; sliders are ordered by it. */
  latentKl?: number[]
  directions?: LatentDirection[]
  training?: { command?: string; dataset?: string; steps?: number; epochs?: number; seconds?: number }
  /**
   * The class-conditional Gaussian prior fitted to the encoder's posteriors after training and baked into the
   * graphs as a change of latent coordinates (sdk/model/prior.ts); absent: the N(0, I) the model was trained with.
   * Either way the public latent is distributed N(0, I) under the model's prior.
   */
  prior?: { type: 'class-gaussian'; fittedOn: string; items: number; components?: number; accept?: number; acceptedBefore?: number }
  /** The temperature `sample` uses when none is given (default 1): for a mixture prior, the spread around each mode. */
  sampling?: { temperature: number }
  /**
   * Where each class's ink sits in the training images, per class id: the median top and bottom row of the ink box
   * as fractions of the image size. Glyphs are framed by their font (an `o` is x-height tall, a `g` hangs below
   * the baseline), so a drawing brought in from elsewhere is placed the same way before encoding
   * (`frameDrawing`, sdk/image/frame.ts). Absent: drawings are scaled to fill the box, as icons are.
   */
  framing?: { top: number[]; bottom: number[] }
  /**
   * How initializers are stored: fp32; fp16 widened by Cast at load; or 'float16/int8': the encoder's matrices and
   * kernels as int8 with a scale per output row (sdk/onnx/int8.ts), everything else fp16 — the decoder, which draws
   * what a designer sees, keeps fp16.
   */
  weightFormat?: 'float32' | 'float16' | 'float16/int8'
  /**
   * CRC-32 of the file without its metadata (graph, weights, opset), `crc32:xxxxxxxx`; verified at load, so a file
   * damaged after export fails with DAMAGED_MODEL. Written by buildModelFile; files exported before it have none.
   */
  checksum?: string
  createdAt: string
  sdkVersion: string
}

function fail(msg: string): never {
  throw new LatentypeError('BAD_MODEL_CARD', `model card is invalid: ${msg} — re-export the model with this SDK (npm run train … or scripts/make-demo-model)`)
}

const posInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string'
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const show = (v: unknown): string => {
  try {
    const j = JSON.stringify(v)
    return j === undefined ? String(v) : j.length > 40 ? `${j.slice(0, 40)}…` : j
  } catch {
    return String(v)
  }
}

/** Validates parsed card JSON, naming the first bad field. Every field is type-checked: a wrong shape is BAD_MODEL_CARD. */
export function validateCard(raw: unknown): ModelCard {
  if (!isObject(raw)) fail('not a JSON object')
  const c = raw as unknown as ModelCard
  const r = raw
  if (c.format !== 'latentype-model') fail(`format is ${show(r.format)}, expected "latentype-model"`)
  if (!posInt(c.formatVersion)) fail('formatVersion missing')
  if (c.formatVersion > FORMAT_VERSION) fail(`formatVersion ${c.formatVersion} is newer than this SDK understands (${FORMAT_VERSION}) — upgrade latentype`)
  if (typeof c.name !== 'string' || !c.name) fail('name missing')
  if (!['icons', 'glyphs', 'other'].includes(c.kind)) fail(`kind ${show(r.kind)} is not icons, glyphs or other`)
  if (!optString(r.description)) fail('description must be a string')
  for (const k of ['imageSize', 'channels', 'latentSize'] as const) if (!posInt(c[k])) fail(`${k} must be a positive integer`)
  if (!Array.isArray(c.classes) || c.classes.length === 0) fail('classes must be a non-empty list')
  ;(c.classes as unknown[]).forEach((cl, i) => {
    if (!isObject(cl) || cl.id !== i) fail(`classes[${i}] must be { id: ${i}, label, synonyms } (got ${show(cl)})`)
    if (!isString(cl.label) || !cl.label) fail(`classes[${i}].label missing`)
    if (!Array.isArray(cl.synonyms) || !cl.synonyms.every(isString)) fail(`classes[${i}].synonyms must be strings`)
  })
  if (!isObject(r.spec)) fail('spec must be an object')
  try {
    validateSpec(c.spec)
  } catch (e) {
    fail((e as Error).message)
  }
  if (c.spec.imageSize !== c.imageSize || c.spec.latentSize !== c.latentSize || c.spec.numClasses !== c.classes.length || c.spec.channels !== c.channels) {
    fail('spec disagrees with imageSize/latentSize/channels/classes')
  }
  if (!Array.isArray(c.attribution)) fail('attribution must be a list')
  ;(c.attribution as unknown[]).forEach((a, i) => {
    if (!isObject(a) || !isString(a.source) || !isString(a.license)) fail(`attribution[${i}] must be { source, license, name?, author?, url? } (got ${show(a)})`)
    for (const k of ['name', 'author', 'url'] as const) if (!optString(a[k])) fail(`attribution[${i}].${k} must be a string`)
  })
  if (!isObject(r.metrics)) fail('metrics must be an object')
  for (const [k, v] of Object.entries(c.metrics)) if (typeof v !== 'string' && typeof v !== 'number') fail(`metrics.${k} must be a number or a string (got ${show(v)})`)
  if (c.latentKl !== undefined) {
    if (!Array.isArray(c.latentKl) || c.latentKl.length !== c.latentSize) fail(`latentKl must have ${c.latentSize} entries`)
    if (!c.latentKl.every(finite)) fail('latentKl entries must be finite numbers')
  }
  if (c.prior !== undefined && (!c.prior || c.prior.type !== 'class-gaussian')) fail(`prior type "${String(c.prior?.type)}" is not class-gaussian`)
  if (c.prior?.components !== undefined && !(Number.isInteger(c.prior.components) && c.prior.components >= 0)) fail('prior.components must be a whole number ≥ 0')
  if (c.framing !== undefined) {
    const f = c.framing as { top?: unknown; bottom?: unknown } | null
    const ok = (v: unknown): boolean => Array.isArray(v) && v.length === c.classes.length && v.every((x) => typeof x === 'number' && x >= 0 && x <= 1)
    if (!f || !ok(f.top) || !ok(f.bottom)) fail(`framing must hold top and bottom: one fraction in 0..1 per class (${c.classes.length})`)
  }
  if (c.sampling !== undefined && !(c.sampling && typeof c.sampling.temperature === 'number' && c.sampling.temperature > 0 && c.sampling.temperature <= 2)) fail('sampling.temperature must be a number in (0, 2]')
  if (c.directions !== undefined) {
    if (!Array.isArray(c.directions)) fail('directions must be a list')
    ;(c.directions as unknown[]).forEach((d, i) => {
      if (!isObject(d) || !isString(d.name) || !isString(d.label)) fail(`directions[${i}] must be { name, label, vector } (got ${show(d)})`)
      if (!Array.isArray(d.vector) || d.vector.length !== c.latentSize || !d.vector.every(finite)) fail(`direction "${d.name}" must have a ${c.latentSize}-long vector of numbers`)
      if (d.range !== undefined && !(Array.isArray(d.range) && d.range.length === 2 && d.range.every(finite))) fail(`direction "${d.name}" range must be [min, max]`)
    })
  }
  if (r.training !== undefined) {
    if (!isObject(r.training)) fail('training must be an object')
    const t = r.training
    if (!optString(t.command) || !optString(t.dataset)) fail('training.command and training.dataset must be strings')
    for (const k of ['steps', 'epochs', 'seconds'] as const) if (t[k] !== undefined && !finite(t[k])) fail(`training.${k} must be a number`)
  }
  if (c.weightFormat !== undefined && c.weightFormat !== 'float32' && c.weightFormat !== 'float16' && c.weightFormat !== 'float16/int8') fail(`weightFormat ${show(r.weightFormat)} is not float32, float16 or float16/int8`)
  if (!isString(r.createdAt)) fail('createdAt must be a date string')
  if (!isString(r.sdkVersion)) fail('sdkVersion must be a string')
  if (r.checksum !== undefined && !(isString(r.checksum) && /^crc32:[0-9a-f]{8}$/.test(r.checksum))) fail(`checksum ${show(r.checksum)} is not "crc32:" and 8 hex digits`)
  return c
}
