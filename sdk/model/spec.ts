/**
 * The CVAE architecture as a typed config. One spec builds the inference graphs (sdk/model/cvae.ts) and the
 * training graph (sdk/train); nothing else declares layer shapes.
 *
 * Encoder: image [N,C,S,S] → Conv k4 s2 p1 + act per `encoder.conv` → flatten → concat one-hot class →
 * dense(hidden) + act → two dense heads → μ, log σ² [N, latent].
 * Decoder: concat(z, one-hot class) → dense(hidden) + act → dense(c₀·s₀²) + act → reshape [N,c₀,s₀,s₀] →
 * ConvTranspose k4 s2 p1 (+ per-class channel bias) + act through `decoder.conv`, the last one to C channels →
 * logits → sigmoid → coverage. s₀ = S / 2^len(decoder.conv).
 */
import { LatentypeError } from '../errors.js'
import type { Activation } from '../graph/layers.js'

export interface CvaeSpec {
  /** Image side in pixels (square); divisible by 2^len(conv). */
  imageSize: number
  /** Image channels (1 = coverage). */
  channels: number
  latentSize: number
  numClasses: number
  encoder: { conv: number[]; hidden: number }
  decoder: { hidden: number; conv: number[] }
  activation: Activation
  /** Learned per-class channel bias after every decoder conv (stronger conditioning, ~C·Σch parameters). */
  classBias: boolean
  /**
   * Pixel likelihood p(x|z,c) the model is trained and evaluated with (default `bernoulli`: binary cross-entropy
   * on coverage). `continuous-bernoulli` is the normalised density on [0,1] for anti-aliased coverage (Loaiza-Ganem
   * & Cunningham 2019); the decoder still outputs λ = σ(logits) as the image. Its density is unbounded at pixels
   * that are exactly 0 or 1 as λ → 0 or 1, so its −ELBO is comparable only between continuous-Bernoulli runs.
   * `distance-field`: the decoder predicts the signed distance to the contour (px, clamped) under a Laplace density,
   * and the image is that field rendered as an anti-aliased edge (sdk/model/likelihood.ts); its −ELBO is in other
   * units than the Bernoulli's.
   */
  likelihood?: 'bernoulli' | 'continuous-bernoulli' | 'distance-field'
  /** Density of a distance-field model's field (default `laplace`: the median shape; `gaussian`: the mean field). */
  fieldDensity?: 'laplace' | 'gaussian'
  /**
   * Spatial latent: besides the global latent, a grid of `channels` latent values per cell of one of the
   * decoder's maps — the first (s₀×s₀) by default, or the map whose side is `side` (s₀·2^j, before the decoder's
   * conv j) — concatenated to that map's channels, so local detail does not have to pass the global bottleneck.
   * `latentSize` counts both parts: the public latent stays one flat vector, global dimensions first, then the
   * grid channel-major ([c, side, side] flattened).
   */
  spatialLatent?: { channels: number; side?: number }
}

/**
 * Sizes of the two parts of the latent: global and spatial grid (0 without a spatial latent); `level` is the
 * decoder conv whose input map the grid joins (0: the first map).
 */
export function latentParts(s: CvaeSpec): { global: number; grid: number; side: number; channels: number; level: number } {
  const first = s.imageSize / 2 ** s.decoder.conv.length
  const side = s.spatialLatent?.side ?? first
  const channels = s.spatialLatent?.channels ?? 0
  const grid = channels * side * side
  return { global: s.latentSize - grid, grid, side, channels, level: Math.round(Math.log2(side / first)) }
}

type Preset = Omit<CvaeSpec, 'numClasses'>
const GLYPH64S: Preset = { imageSize: 64, channels: 1, latentSize: 160, encoder: { conv: [32, 64, 64, 64], hidden: 384 }, decoder: { hidden: 256, conv: [64, 64, 32, 16] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true, spatialLatent: { channels: 8 } }
const ICON64S: Preset = { imageSize: 64, channels: 1, latentSize: 160, encoder: { conv: [32, 64, 64, 64], hidden: 256 }, decoder: { hidden: 256, conv: [104, 96, 64, 32] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true, spatialLatent: { channels: 8 } }
/** `base` with other decoder map widths. */
const widerDecoder = (base: Preset, conv: number[]): Preset => ({ ...base, decoder: { ...base.decoder, conv } })

/** Named architectures; `numClasses` is filled from the dataset. */
export const presets: Record<string, Preset> = {
  /** For tests: trains in seconds. */
  tiny: { imageSize: 16, channels: 1, latentSize: 4, encoder: { conv: [4, 8], hidden: 16 }, decoder: { hidden: 16, conv: [8, 4] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
  /** Stand-in models committed for development and the first `npm start` (≈ 60 k parameters). */
  demo64: { imageSize: 64, channels: 1, latentSize: 8, encoder: { conv: [8, 16, 16, 16], hidden: 32 }, decoder: { hidden: 32, conv: [16, 16, 16, 8] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
  /** MNIST-sized (28 padded to 32). */
  small32: { imageSize: 32, channels: 1, latentSize: 16, encoder: { conv: [32, 64, 64], hidden: 256 }, decoder: { hidden: 256, conv: [64, 64, 32] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
  /** The v1 glyph model: 64×64, ≈ 0.9 M parameters with 62 classes (1.9 MB as float16), decoder ≈ 12 MFLOP per image. */
  glyph64: { imageSize: 64, channels: 1, latentSize: 32, encoder: { conv: [32, 64, 64, 64], hidden: 256 }, decoder: { hidden: 256, conv: [64, 64, 32, 16] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
  /** glyph64's encoder with a wider decoder (icons: composite shapes need more decoder channels); ≈ 1.35 M parameters with 128 classes, ≈ 2.7 MB as float16. */
  icon64: { imageSize: 64, channels: 1, latentSize: 32, encoder: { conv: [32, 64, 64, 64], hidden: 256 }, decoder: { hidden: 256, conv: [128, 96, 64, 32] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
  /** glyph64 with a 4×4×8 spatial latent beside a 32-d global one (latent 160) and a wider encoder head. */
  glyph64s: GLYPH64S,
  /** icon64 with a 4×4×8 spatial latent beside a 32-d global one (latent 160); a narrower dense path into the first map keeps the file ≤ 3 MB. */
  icon64s: ICON64S,
  /** glyph64s with more channels on the decoder's 16² and 32² maps (48 and 32 instead of 32 and 16): the shipped glyph model (v2g). */
  glyph64w: widerDecoder(GLYPH64S, [64, 64, 48, 32]),
  /** icon64s with 48 instead of 32 channels on the decoder's 32² map (measured, not shipped: models/README.md, session 9). */
  icon64w: widerDecoder(ICON64S, [104, 96, 64, 48]),
  /** icon64s with its spatial latent on the decoder's 8² map, 2 values per cell (8×8×2) instead of 4×4×8: the same latent size (160), four times the places for small parts. */
  icon64s8: { ...ICON64S, spatialLatent: { channels: 2, side: 8 } },
  /** Icons and glyphs at 64×64, ≈ 1.8 M parameters (the training benchmark's 64² size). */
  base64: { imageSize: 64, channels: 1, latentSize: 32, encoder: { conv: [32, 64, 96, 128], hidden: 256 }, decoder: { hidden: 256, conv: [128, 96, 64, 32] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true },
}

/** Resolves a preset name or partial spec into a full, validated spec. */
export function resolveSpec(specOrPreset: string | Partial<CvaeSpec>, numClasses: number): CvaeSpec {
  let base: Partial<CvaeSpec>
  if (typeof specOrPreset === 'string') {
    const p = presets[specOrPreset]
    if (!p) throw new LatentypeError('BAD_ARGUMENT', `unknown spec preset "${specOrPreset}" — use one of ${Object.keys(presets).join(', ')} or a spec JSON file`)
    base = { ...p }
  } else base = { ...specOrPreset }
  const spec = { ...base, numClasses } as CvaeSpec
  validateSpec(spec)
  return spec
}

const posInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0

/** Throws BAD_ARGUMENT naming the first field that is wrong. */
export function validateSpec(s: CvaeSpec): void {
  const fail = (msg: string): never => {
    throw new LatentypeError('BAD_ARGUMENT', `invalid CvaeSpec: ${msg}`)
  }
  if (!s || typeof s !== 'object') fail('expected an object')
  for (const k of ['imageSize', 'channels', 'latentSize', 'numClasses'] as const) if (!posInt(s[k])) fail(`${k} must be a positive integer (got ${String(s[k])})`)
  if (!s.encoder || !Array.isArray(s.encoder.conv) || !s.encoder.conv.every(posInt) || !posInt(s.encoder.hidden)) fail('encoder must be { conv: positive ints, hidden: positive int }')
  if (!s.decoder || !Array.isArray(s.decoder.conv) || s.decoder.conv.length === 0 || !s.decoder.conv.every(posInt) || !posInt(s.decoder.hidden)) fail('decoder must be { hidden: positive int, conv: non-empty positive ints }')
  for (const [part, n] of [['encoder', s.encoder.conv.length], ['decoder', s.decoder.conv.length]] as const) {
    if (s.imageSize % 2 ** n !== 0) fail(`imageSize ${s.imageSize} is not divisible by 2^${n} (${part} has ${n} stride-2 convs)`)
  }
  const a = s.activation
  if (!a || !['relu', 'leaky_relu', 'none'].includes(a.type)) fail('activation.type must be relu, leaky_relu or none')
  if (a.type === 'leaky_relu' && !(typeof a.alpha === 'number' && a.alpha >= 0 && a.alpha < 1)) fail('activation.alpha must be in [0, 1)')
  if (typeof s.classBias !== 'boolean') fail('classBias must be true or false')
  if (s.spatialLatent !== undefined) {
    if (!s.spatialLatent || !posInt(s.spatialLatent.channels)) fail('spatialLatent must be { channels: positive int, side?: positive int }')
    const first = s.imageSize / 2 ** s.decoder.conv.length
    const side = s.spatialLatent.side
    if (side !== undefined) {
      const level = Math.log2(side / first)
      if (!posInt(side) || !Number.isInteger(level) || level < 0 || level >= s.decoder.conv.length) {
        fail(`spatialLatent.side ${String(side)} is not the side of a decoder map before its last conv (${s.decoder.conv.map((_, j) => first * 2 ** j).join(', ')} px for this spec) — use one of those or leave it out`)
      }
    }
    const p = latentParts(s)
    if (p.global < 1) fail(`latentSize ${s.latentSize} leaves no global latent beside the ${p.channels}×${p.side}×${p.side} spatial grid (${p.grid} values) — raise latentSize`)
  }
  if (s.fieldDensity !== undefined && s.fieldDensity !== 'laplace' && s.fieldDensity !== 'gaussian') fail(`fieldDensity must be "laplace" or "gaussian" (got ${JSON.stringify(s.fieldDensity)})`)
  if (s.fieldDensity !== undefined && s.likelihood !== 'distance-field') fail(`fieldDensity applies to likelihood "distance-field" only (this spec's likelihood is ${JSON.stringify(s.likelihood ?? 'bernoulli')}) — drop it or set likelihood: "distance-field"`)
  if (s.likelihood !== undefined && s.likelihood !== 'bernoulli' && s.likelihood !== 'continuous-bernoulli' && s.likelihood !== 'distance-field') fail(`likelihood must be "bernoulli", "continuous-bernoulli" or "distance-field" (got ${JSON.stringify(s.likelihood)})`)
}
