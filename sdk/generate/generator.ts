/**
 * The Generator: sample latents, decode them to bitmaps, encode bitmaps, interpolate, transfer style.
 * Backend-agnostic; `latentype` (Node) and `latentype/web` add `Generator.load`.
 */
import { LatentypeError } from '../errors.js'
import type { Bitmap } from '../image/bitmap.js'
import { frameDrawing } from '../image/frame.js'
import type { ClassInfo } from '../model/card.js'
import { IO } from '../model/cvae.js'
import { REFINE_IO } from '../model/refine-graph.js'
import { toModelLatent, toPriorUnits } from '../model/prior.js'
import { latentParts } from '../model/spec.js'
import type { ClassRef } from './classes.js'
import { checkReferences, describe, toLatent } from './checks.js'
import { GeneratorCore, type Latent, type Posterior } from './generator-core.js'
import { affineOf, productOfExperts, refineStyle, type RefineOptions } from './style.js'
import { coverageToFields } from '../image/field.js'
import { FIELD_CLAMP, isFieldModel } from '../model/likelihood.js'

export { BATCH_CHUNK, MAX_COUNT, type Generated, type LazyParts, type Latent, type Posterior, type SampleOptions } from './generator-core.js'

/** One drawing to take a style from: a bitmap of the model's size and the class it shows. */
export interface Reference {
  bitmap: Bitmap
  class: ClassRef
}

/**
 * A style as a latent: `mu` is the latent that draws `class` in it (so `decode([style.mu], style.class)` draws the
 * reference); `transfer(style, toClasses)` moves it to other classes. `logvar` is the combined posterior's.
 */
export interface Style extends Posterior {
  class: ClassInfo
}

/** A refined style, with the loss (negative ELBO of the references, nats) at the start and after each step. */
export interface FittedStyle extends Style {
  losses: number[]
}

export { MAX_REFERENCES } from './checks.js'

const isStyle = (v: unknown): v is Style => v !== null && typeof v === 'object' && 'mu' in v && 'class' in v && !('bitmap' in v)

export class Generator extends GeneratorCore {
  /** `steps` latents from a to b inclusive, linearly. */
  interpolate(a: Latent, b: Latent, steps: number): Float32Array[] {
    this.assertLive()
    const L = this.card.latentSize
    const za = toLatent(a, L, 0)
    const zb = toLatent(b, L, 1)
    if (typeof steps !== 'number') throw new LatentypeError('BAD_COUNT', `steps must be a number, got ${describe(steps)}`)
    if (!Number.isInteger(steps) || steps < 2 || steps > 256) throw new LatentypeError('BAD_COUNT', `steps ${steps} must be an integer from 2 to 256`)
    return Array.from({ length: steps }, (_, k) => {
      const t = k / (steps - 1)
      return za.map((v, i) => v + (zb[i]! - v) * t)
    })
  }

  /**
   * Encodes the style of `bitmap` (drawn as `fromClass`) and decodes it as each of `toClasses`. With a spatial
   * latent, the grid holds the source's own drawing, so the target keeps the global (style) part and takes its
   * class's mean grid under the fitted prior.
   */
  async transfer(bitmap: Bitmap, fromClass: ClassRef, toClasses: readonly ClassRef[]): Promise<{ class: ClassInfo; bitmap: Bitmap }[]>
  async transfer(from: Reference | readonly Reference[] | Style, toClasses: readonly ClassRef[]): Promise<{ class: ClassInfo; bitmap: Bitmap }[]>
  /**
   * Draws other classes in the style of a drawing: one bitmap and its class, one or several {@link Reference}s
   * (combined by {@link encodeMany}), or a {@link Style} from `encodeMany` / `fit`.
   * @example
   * ```ts
   * const out = await gen.transfer([{ bitmap: a, class: 'A' }, { bitmap: n, class: 'n' }], ['B', 'C', 'o'])
   * ```
   */
  async transfer(from: Bitmap | Reference | readonly Reference[] | Style, b: ClassRef | readonly ClassRef[], c?: readonly ClassRef[]): Promise<{ class: ClassInfo; bitmap: Bitmap }[]> {
    this.assertLive()
    const bitmapForm = c !== undefined || (from !== null && typeof from === 'object' && 'data' in from)
    const toClasses = bitmapForm ? c : b
    const eg = bitmapForm
      ? `e.g. transfer(bitmap, '${this.card.classes[0]!.label}', ['${this.card.classes[Math.min(1, this.card.classes.length - 1)]!.label}'])`
      : `e.g. transfer(references, ['${this.card.classes[Math.min(1, this.card.classes.length - 1)]!.label}'])`
    if (!Array.isArray(toClasses)) throw new LatentypeError('BAD_ARGUMENT', `transfer's target classes must be a list, got ${describe(toClasses)} — ${eg}`)
    if (toClasses.length === 0) throw new LatentypeError('BAD_ARGUMENT', `transfer needs at least one target class — ${eg}`)
    const targets = toClasses.map((t) => this.resolveClass(t))
    const style = bitmapForm ? await this.encodeMany([{ bitmap: from as Bitmap, class: b as ClassRef }]) : isStyle(from) ? from : await this.encodeMany(Array.isArray(from) ? from : [from as Reference])
    const bitmaps = await this.decode(targets.map((t) => this.styleLatent(style, t.id)), targets.map((t) => t.id))
    return targets.map((cls, i) => ({ class: cls, bitmap: bitmaps[i]! }))
  }

  /**
   * Combines the posteriors of 1–16 references into one style: each reference is encoded, moved to the units of
   * the first reference's class, and the Gaussian experts multiplied (precision-weighted mean; sdk/generate/style.ts).
   * With several references and a spatial latent, the style keeps only what transfers between classes (the global
   * part; the grid is the class's mean).
   * @example
   * ```ts
   * const style = await gen.encodeMany([{ bitmap: a, class: 'A' }, { bitmap: g, class: 'g' }])
   * const [b] = await gen.decode([gen.styleLatent(style, 'B')], 'B')
   * ```
   */
  async encodeMany(references: readonly Reference[]): Promise<Style> {
    this.assertLive()
    const refs = checkReferences(references, this.card, (c) => this.resolveClass(c))
    const S = this.card.imageSize
    const k = refs.length
    const images = new Float32Array(k * S * S)
    refs.forEach((r, i) => images.set(r.bitmap.data, i * S * S))
    const res = await this.run(this.encoderSession, { [IO.encoder.image]: { data: images, dims: [k, 1, S, S] }, [IO.encoder.class]: this.oneHot(refs.map((r) => r.cls.id)) }, [IO.encoder.mu, IO.encoder.logvar])
    const L = this.card.latentSize
    const frame = refs[0]!.cls
    const experts = refs.map((r, i) => ({ mu: this.moveLatent(res[IO.encoder.mu]!.data.slice(i * L, (i + 1) * L), r.cls.id, frame.id, false), logvar: res[IO.encoder.logvar]!.data.slice(i * L, (i + 1) * L) }))
    const combined = productOfExperts(experts)
    return { class: frame, mu: k > 1 ? this.moveLatent(combined.mu, frame.id, frame.id, true) : combined.mu, logvar: combined.logvar }
  }

  /**
   * Refines the style of 1–16 references: starts from {@link encodeMany} and takes `steps` Adam steps on the style
   * latent that lower the references' negative ELBO (reconstruction + KL to the prior), with the gradient from
   * the model file's refinement graph. Deterministic for the same inputs; cancel with `signal` (rejects ABORTED).
   * @example
   * ```ts
   * const style = await gen.fit(refs, { steps: 30, onProgress: ({ step, steps }) => bar(step / steps) })
   * const glyphs = await gen.transfer(style, ['B', 'C'])
   * ```
   */
  async fit(references: readonly Reference[], options: RefineOptions = {}): Promise<FittedStyle> {
    this.assertLive()
    const refs = checkReferences(references, this.card, (c) => this.resolveClass(c))
    if (!this.lazy.openRefinement) {
      const file = this.lazy.source ?? 'this model file'
      throw new LatentypeError('MISSING_PART', `${file} was exported without the refinement graph fit needs — re-export it with \`npm run reexport -- --model ${file} --out <new.onnx>\` (encodeMany and transfer work without it)`)
    }
    this.refinement ??= this.lazy.openRefinement()
    const session = await this.refinement
    const start = await this.encodeMany(references)
    const L = this.card.latentSize
    const S = this.card.imageSize
    const k = refs.length
    const maps = refs.map((r) => affineOf((s) => this.moveLatent(s, start.class.id, r.cls.id, k > 1), L))
    const target = new Float32Array(k * S * S)
    refs.forEach((r, i) => target.set(r.bitmap.data, i * S * S))
    // a distance-field model's refinement graph scores the references' fields
    if (isFieldModel(this.card.spec)) coverageToFields(target, k, S, { clamp: FIELD_CLAMP }, target)
    const onehot = this.oneHot(refs.map((r) => r.cls.id))
    const refined = await refineStyle(start.mu, maps, async (u) => {
      this.assertLive()
      const out = await this.run(session, { [REFINE_IO.z]: { data: u, dims: [k, L] }, [REFINE_IO.class]: onehot, [REFINE_IO.target]: { data: target, dims: [k, 1, S, S] } }, [REFINE_IO.rec, REFINE_IO.grad])
      return { rec: out[REFINE_IO.rec]!.data, grad: out[REFINE_IO.grad]!.data }
    }, options)
    return { class: start.class, mu: refined.latent, logvar: start.logvar, losses: refined.losses }
  }

  /**
   * A drawing of any size (a Figma export, a PNG) placed into the model's frame as its training images were: glyph
   * models keep the class's height and baseline (`card.framing`), other models scale the ink to fill the box.
   * @example
   * ```ts
   * const ref = { bitmap: gen.frameDrawing(pngToBitmap(png), 'o'), class: 'o' }
   * ```
   */
  frameDrawing(bitmap: Bitmap, cls: ClassRef): Bitmap {
    return frameDrawing(bitmap, this.resolveClass(cls).id, this.card.imageSize, this.card.framing)
  }

  /** The latent that draws `cls` in a style (what {@link transfer} decodes). */
  styleLatent(style: Style, cls: ClassRef): Float32Array {
    return this.moveLatent(style.mu, style.class.id, this.resolveClass(cls).id, false)
  }

  /**
   * A latent in the units of class `from` moved to class `to`: the same model-space z seen from `to`'s prior
   * (a shift). With a spatial latent the grid is `to`'s mean when the classes differ or `replaceGrid` is set, so
   * what moves between classes is the global part.
   */
  private moveLatent(u: Float32Array, from: number, to: number, replaceGrid: boolean): Float32Array {
    const parts = latentParts(this.card.spec)
    if (!this.prior) return u
    if (from === to && (!replaceGrid || parts.grid === 0)) return u
    const z = toModelLatent(this.prior, u, from)
    const L = this.card.latentSize
    if (parts.grid > 0 && (replaceGrid || from !== to)) z.set(this.prior.mean.subarray(to * L + parts.global, (to + 1) * L), parts.global)
    return toPriorUnits(this.prior, z, to)
  }

}
