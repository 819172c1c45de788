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
  prior?: { type: 'class-gaussian'; fittedOn: string; items: number; components?: number }
  /** The temperature `sample` uses when none is given (default 1): for a mixture prior, the spread around each mode. */
  sampling?: { temperature: number }
  /** How initializers are stored: fp32, or fp16 widened by Cast at load. */
  weightFormat?: 'float32' | 'float16'
  createdAt: string
  sdkVersion: string
}

function fail(msg: string): never {
  throw new LatentypeError('BAD_MODEL_CARD', `model card is invalid: ${msg} — re-export the model with this SDK (npm run train … or scripts/make-demo-model)`)
}

const posInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0

/** Validates parsed card JSON, naming the first bad field. */
export function validateCard(raw: unknown): ModelCard {
  if (!raw || typeof raw !== 'object') fail('not a JSON object')
  const c = raw as ModelCard
  if (c.format !== 'latentype-model') fail(`format is "${String(c.format)}", expected "latentype-model"`)
  if (!posInt(c.formatVersion)) fail('formatVersion missing')
  if (c.formatVersion > FORMAT_VERSION) fail(`formatVersion ${c.formatVersion} is newer than this SDK understands (${FORMAT_VERSION}) — upgrade latentype`)
  if (typeof c.name !== 'string' || !c.name) fail('name missing')
  if (!['icons', 'glyphs', 'other'].includes(c.kind)) fail(`kind "${String(c.kind)}" is not icons, glyphs or other`)
  for (const k of ['imageSize', 'channels', 'latentSize'] as const) if (!posInt(c[k])) fail(`${k} must be a positive integer`)
  if (!Array.isArray(c.classes) || c.classes.length === 0) fail('classes must be a non-empty list')
  c.classes.forEach((cl, i) => {
    if (!cl || cl.id !== i) fail(`classes[${i}].id must be ${i}`)
    if (typeof cl.label !== 'string' || !cl.label) fail(`classes[${i}].label missing`)
    if (!Array.isArray(cl.synonyms) || !cl.synonyms.every((s) => typeof s === 'string')) fail(`classes[${i}].synonyms must be strings`)
  })
  try {
    validateSpec(c.spec)
  } catch (e) {
    fail((e as Error).message)
  }
  if (c.spec.imageSize !== c.imageSize || c.spec.latentSize !== c.latentSize || c.spec.numClasses !== c.classes.length || c.spec.channels !== c.channels) {
    fail('spec disagrees with imageSize/latentSize/channels/classes')
  }
  if (!Array.isArray(c.attribution)) fail('attribution must be a list')
  if (!c.metrics || typeof c.metrics !== 'object') fail('metrics must be an object')
  if (c.latentKl !== undefined && (!Array.isArray(c.latentKl) || c.latentKl.length !== c.latentSize)) fail(`latentKl must have ${c.latentSize} entries`)
  for (const d of c.directions ?? []) {
    if (typeof d.name !== 'string' || !Array.isArray(d.vector) || d.vector.length !== c.latentSize) fail(`direction "${d?.name}" must have a ${c.latentSize}-long vector`)
  }
  if (c.prior !== undefined && (!c.prior || c.prior.type !== 'class-gaussian')) fail(`prior type "${String(c.prior?.type)}" is not class-gaussian`)
  if (c.prior?.components !== undefined && !(Number.isInteger(c.prior.components) && c.prior.components >= 0)) fail('prior.components must be a whole number ≥ 0')
  if (c.sampling !== undefined && !(c.sampling && typeof c.sampling.temperature === 'number' && c.sampling.temperature > 0 && c.sampling.temperature <= 2)) fail('sampling.temperature must be a number in (0, 2]')
  if (c.weightFormat !== undefined && c.weightFormat !== 'float32' && c.weightFormat !== 'float16') fail(`weightFormat "${String(c.weightFormat)}" is not float32 or float16`)
  return c
}
