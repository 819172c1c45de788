/**
 * The Generator: sample latents, decode them to bitmaps, encode bitmaps, interpolate, transfer style.
 * Backend-agnostic; `latentype` (Node) and `latentype/web` add `Generator.load`.
 */
import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from '../image/bitmap.js'
import type { ClassInfo, ModelCard } from '../model/card.js'
import { IO } from '../model/cvae.js'
import { REFINE_IO } from '../model/refine-graph.js'
import { parseModelFile, splitModel } from '../model/file.js'
import { readPrior, samplePrior, toModelLatent, toPriorUnits, type StoredPrior } from '../model/prior.js'
import { latentParts } from '../model/spec.js'
import { Rng } from '../random.js'
import type { Backend, Session } from '../runtime/session.js'
import { resolveClass, type ClassRef } from './classes.js'
import { affineOf, productOfExperts, refineStyle, type RefineOptions } from './style.js'

/** Most latents one call may sample or decode; larger requests are refused with BAD_COUNT. */
export const MAX_COUNT = 4096
/** Decoder batch size used internally. */
const CHUNK = 64
/** Batch size of {@link Generator.decodeBatch} and {@link Generator.encodeBatch}. */
export const BATCH_CHUNK = 256

/** A latent vector: a Float32Array, or plain numbers (e.g. from JSON) of the model's latent size. */
export type Latent = Float32Array | readonly number[]

export interface SampleOptions {
  /** Class label, synonym or id. */
  class: ClassRef
  /** Number of latents (1 … MAX_COUNT). */
  n?: number
  /** PRNG seed (see sdk/random.ts for the algorithm). */
  seed?: number
  /** Scales the prior's standard deviation: < 1 typical, > 1 adventurous (default: the model card's `sampling.temperature`, else 1). */
  temperature?: number
}

export interface Generated {
  class: ClassInfo
  latents: Float32Array[]
  bitmaps: Bitmap[]
}

/** Posterior q(z|x,c): mean and log-variance. */
export interface Posterior {
  mu: Float32Array
  logvar: Float32Array
}

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

/** Most references one style may combine. */
export const MAX_REFERENCES = 16

/** Parts of a model file a Generator opens on first use. */
export interface LazyParts {
  /** Opens the refinement graph's session (absent in files exported before it). */
  openRefinement?: () => Promise<Session>
  /** How the file was named when loaded, for messages. */
  source?: string
}

export class Generator {
  /** The model card read from the file. */
  readonly card: ModelCard
  private readonly decoderSession: Session
  private readonly encoderSession: Session
  /** The fitted prior stored in the file (sdk/model/prior.ts), if any. */
  private readonly prior?: StoredPrior
  private readonly lazy: LazyParts
  private refinement?: Promise<Session>
  private disposed = false

  /** @internal Use `Generator.load` (entry points) or {@link Generator.fromBytes}. */
  constructor(card: ModelCard, decoder: Session, encoder: Session, prior?: StoredPrior, lazy: LazyParts = {}) {
    this.card = card
    this.decoderSession = decoder
    this.encoderSession = encoder
    this.prior = prior
    this.lazy = lazy
  }

  /** Opens model bytes on a backend (entry points wrap this as `Generator.load`). The refinement graph opens on the first `fit`. */
  static async fromBytes<T extends Generator>(this: new (c: ModelCard, d: Session, e: Session, p?: StoredPrior, lazy?: LazyParts) => T, bytes: Uint8Array, backend: Backend, source = 'model'): Promise<T> {
    const { card, model } = parseModelFile(bytes, source)
    const prior = card.prior ? readPrior(model, card.classes.length, card.latentSize) : undefined
    const halves = splitModel(model)
    const [dec, enc] = await Promise.all([backend.createSession(halves.decoder), backend.createSession(halves.encoder)])
    const refinement = halves.refinement
    return new this(card, dec, enc, prior, { source, ...(refinement ? { openRefinement: () => backend.createSession(refinement) } : {}) })
  }

  get classes(): readonly ClassInfo[] {
    return this.card.classes
  }

  /** The temperature `sample` uses when none is given: the card's `sampling.temperature`, else 1. */
  get defaultTemperature(): number {
    return this.card.sampling?.temperature ?? 1
  }

  /** Name of the backend running the model, e.g. "onnxruntime-web/wasm". */
  get backend(): string {
    return this.decoderSession.backend
  }

  /** Looks a class up by label, synonym (case-insensitive) or id; throws UNKNOWN_CLASS with suggestions. */
  resolveClass(ref: ClassRef): ClassInfo {
    return resolveClass(this.card.classes, ref)
  }

  /**
   * Draws latents from the model's prior at a temperature: N(0, temperature²·I), or for a model with a fitted
   * mixture prior a component of the class (by weight) plus temperature-scaled noise (sdk/model/prior.ts).
   * @example
   * ```ts
   * const z = gen.sample({ class: 'heart', n: 8, seed: 7 })
   * ```
   */
  sample(o: SampleOptions): Float32Array[] {
    this.assertLive()
    if (!o || typeof o !== 'object') throw new LatentypeError('BAD_ARGUMENT', `sample/generate take an options object, e.g. { class: '${this.card.classes[0]!.label}', n: 4 }`)
    const cls = this.resolveClass(o.class)
    const n = checkCount(o.n ?? 1, 'n')
    const t = o.temperature ?? this.defaultTemperature
    if (typeof t !== 'number') throw new LatentypeError('BAD_ARGUMENT', `temperature must be a number, got ${describe(t)} — e.g. temperature: 0.8`)
    if (!Number.isFinite(t) || t < 0 || t > 10) throw new LatentypeError('BAD_ARGUMENT', `temperature ${t} is out of range — use a value between 0 and 10 (1 = the prior)`)
    const seed = o.seed ?? 0
    if (typeof seed !== 'number') throw new LatentypeError('BAD_ARGUMENT', `seed must be a number, got ${describe(seed)} — e.g. seed: 7`)
    if (!Number.isInteger(seed)) throw new LatentypeError('BAD_ARGUMENT', `seed ${seed} must be an integer`)
    return samplePrior(this.prior, this.card.latentSize, cls.id, n, new Rng(seed), t)
  }

  /** Decodes latents for one class (or one class per latent) into coverage bitmaps. */
  async decode(latents: readonly Latent[], cls: ClassRef | readonly ClassRef[]): Promise<Bitmap[]> {
    this.assertLive()
    const L = this.card.latentSize
    if (!Array.isArray(latents)) {
      const hint = latents instanceof Float32Array || isNumberArray(latents) ? ` — wrap one latent in a list: decode([z], cls)` : ''
      throw new LatentypeError('BAD_LATENT', `latents must be a list of latents (Float32Array or number[] of ${L} values), got ${describe(latents)}${hint}`)
    }
    if (latents.length === 0) throw new LatentypeError('BAD_COUNT', 'no latents to decode — pass at least one (e.g. from sample())')
    checkCount(latents.length, 'latent count')
    const zs = latents.map((z, i) => toLatent(z, L, i))
    if (Array.isArray(cls) && cls.length !== latents.length) throw new LatentypeError('BAD_ARGUMENT', `${cls.length} classes for ${latents.length} latents — give one class, or one per latent`)
    const classIds = Array.isArray(cls) ? cls.map((c) => this.resolveClass(c).id) : latents.map(() => this.resolveClass(cls as ClassRef).id)
    const out: Bitmap[] = []
    for (let start = 0; start < latents.length; start += CHUNK) {
      const batch = zs.slice(start, start + CHUNK)
      const z = new Float32Array(batch.length * L)
      batch.forEach((v, i) => z.set(v, i * L))
      const onehot = this.oneHot(classIds.slice(start, start + CHUNK))
      const res = await this.run(this.decoderSession, { [IO.decoder.z]: { data: z, dims: [batch.length, L] }, [IO.decoder.class]: onehot }, [IO.decoder.image])
      out.push(...this.toBitmaps(res[IO.decoder.image]!.data, batch.length))
    }
    return out
  }

  /** sample + decode. */
  async generate(o: SampleOptions): Promise<Generated> {
    const latents = this.sample(o)
    return { class: this.resolveClass(o.class), latents, bitmaps: await this.decode(latents, o.class) }
  }

  /** Encodes a bitmap of the model's size drawn as class `cls`: the posterior's mean and log-variance. */
  async encode(bitmap: Bitmap, cls: ClassRef): Promise<Posterior> {
    this.assertLive()
    const S = this.card.imageSize
    assertBitmap(bitmap, S, S)
    for (const v of bitmap.data) if (!(v >= 0 && v <= 1)) throw new LatentypeError('BAD_BITMAP', `bitmap values must be coverage in 0..1 (found ${v}) — convert PNGs with pngToBitmap`)
    const res = await this.run(this.encoderSession, 
      { [IO.encoder.image]: { data: bitmap.data, dims: [1, 1, S, S] }, [IO.encoder.class]: this.oneHot([this.resolveClass(cls).id]) },
      [IO.encoder.mu, IO.encoder.logvar],
    )
    return { mu: res[IO.encoder.mu]!.data, logvar: res[IO.encoder.logvar]!.data }
  }

  /**
   * Decodes `n` latents laid out flat (n·latentSize floats, latent i at offset i·latentSize), latent i as class
   * `classIds[i]`, in batches of {@link BATCH_CHUNK}: coverage images, n·channels·S·S floats in 0..1. For bulk work
   * (evaluation, sheets); no MAX_COUNT limit.
   * @example
   * ```ts
   * const images = await gen.decodeBatch(z, Int32Array.of(0, 0, 1), 3) // 3·S·S floats
   * ```
   */
  async decodeBatch(z: Float32Array, classIds: ArrayLike<number>, n: number): Promise<Float32Array> {
    this.assertLive()
    const L = this.card.latentSize
    const C = this.card.channels
    const S = this.card.imageSize
    this.checkBatch(n, classIds)
    if (!(z instanceof Float32Array) || z.length !== n * L) throw new LatentypeError('BAD_LATENT', `decodeBatch wants ${n}·${L} = ${n * L} latent floats (a Float32Array), got ${describe(z)}`)
    const out = new Float32Array(n * C * S * S)
    for (let s = 0; s < n; s += BATCH_CHUNK) {
      const m = Math.min(BATCH_CHUNK, n - s)
      const res = await this.run(this.decoderSession, { [IO.decoder.z]: { data: z.subarray(s * L, (s + m) * L), dims: [m, L] }, [IO.decoder.class]: this.oneHot(Array.from({ length: m }, (_, i) => classIds[s + i]!)) }, [IO.decoder.image])
      out.set(res[IO.decoder.image]!.data, s * C * S * S)
    }
    return out
  }

  /**
   * Encodes `n` coverage images laid out flat (n·channels·S·S floats in 0..1), image i drawn as class
   * `classIds[i]`, in batches of {@link BATCH_CHUNK}: posterior means and log-variances, n·latentSize floats each.
   * @example
   * ```ts
   * const { mu } = await gen.encodeBatch(images, labels, labels.length)
   * ```
   */
  async encodeBatch(images: Float32Array, classIds: ArrayLike<number>, n: number): Promise<Posterior> {
    this.assertLive()
    const L = this.card.latentSize
    const C = this.card.channels
    const S = this.card.imageSize
    const px = C * S * S
    this.checkBatch(n, classIds)
    if (!(images instanceof Float32Array) || images.length !== n * px) throw new LatentypeError('BAD_BITMAP', `encodeBatch wants ${n}·${px} = ${n * px} coverage floats (a Float32Array), got ${describe(images)}`)
    for (const v of images) if (!(v >= 0 && v <= 1)) throw new LatentypeError('BAD_BITMAP', `image values must be coverage in 0..1 (found ${v}) — divide 8-bit pixels by 255`)
    const mu = new Float32Array(n * L)
    const logvar = new Float32Array(n * L)
    for (let s = 0; s < n; s += BATCH_CHUNK) {
      const m = Math.min(BATCH_CHUNK, n - s)
      const res = await this.run(this.encoderSession, { [IO.encoder.image]: { data: images.subarray(s * px, (s + m) * px), dims: [m, C, S, S] }, [IO.encoder.class]: this.oneHot(Array.from({ length: m }, (_, i) => classIds[s + i]!)) }, [IO.encoder.mu, IO.encoder.logvar])
      mu.set(res[IO.encoder.mu]!.data, s * L)
      logvar.set(res[IO.encoder.logvar]!.data, s * L)
    }
    return { mu, logvar }
  }

  /** Checks a flat batch's count and class ids (integers naming the model's classes). */
  private checkBatch(n: number, classIds: ArrayLike<number>): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw new LatentypeError('BAD_COUNT', `n = ${describe(n)} is invalid — give the number of items in the batch (at least 1)`)
    if (!classIds || typeof classIds.length !== 'number' || classIds.length < n) throw new LatentypeError('BAD_ARGUMENT', `${n} items need ${n} class ids, got ${describe(classIds)}`)
    const K = this.card.classes.length
    for (let i = 0; i < n; i++) {
      const id = classIds[i]!
      if (!Number.isInteger(id) || id < 0 || id >= K) throw new LatentypeError('UNKNOWN_CLASS', `class id ${id} (item ${i}) is not one of the model's ${K} classes (0 … ${K - 1})`)
    }
  }

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
    const refs = this.checkReferences(references)
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
    const refs = this.checkReferences(references)
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
    const onehot = this.oneHot(refs.map((r) => r.cls.id))
    const refined = await refineStyle(start.mu, maps, async (u) => {
      this.assertLive()
      const out = await this.run(session, { [REFINE_IO.z]: { data: u, dims: [k, L] }, [REFINE_IO.class]: onehot, [REFINE_IO.target]: { data: target, dims: [k, 1, S, S] } }, [REFINE_IO.rec, REFINE_IO.grad])
      return { rec: out[REFINE_IO.rec]!.data, grad: out[REFINE_IO.grad]!.data }
    }, options)
    return { class: start.class, mu: refined.latent, logvar: start.logvar, losses: refined.losses }
  }

  /** The latent that draws `cls` in a style (what {@link transfer} decodes). */
  styleLatent(style: Style, cls: ClassRef): Float32Array {
    return this.moveLatent(style.mu, style.class.id, this.resolveClass(cls).id, false)
  }

  private checkReferences(references: readonly Reference[]): { bitmap: Bitmap; cls: ClassInfo }[] {
    const eg = `e.g. [{ bitmap, class: '${this.card.classes[0]!.label}' }]`
    if (!Array.isArray(references)) throw new LatentypeError('BAD_ARGUMENT', `references must be a list of { bitmap, class }, got ${describe(references)} — ${eg}`)
    if (references.length === 0) throw new LatentypeError('BAD_ARGUMENT', `no references — pass at least one drawing, ${eg}`)
    if (references.length > MAX_REFERENCES) throw new LatentypeError('BAD_ARGUMENT', `${references.length} references — at most ${MAX_REFERENCES} combine into one style; pass the ${MAX_REFERENCES} most typical`)
    const S = this.card.imageSize
    return references.map((r, i) => {
      if (!r || typeof r !== 'object' || !('bitmap' in r)) throw new LatentypeError('BAD_ARGUMENT', `reference ${i} must be { bitmap, class }, got ${describe(r)} — ${eg}`)
      const bitmap = r.bitmap
      try {
        assertBitmap(bitmap, S, S)
      } catch (e) {
        throw new LatentypeError('BAD_BITMAP', `reference ${i}: ${(e as Error).message}`)
      }
      let ink = 0
      for (const v of bitmap.data) {
        if (!(v >= 0 && v <= 1)) throw new LatentypeError('BAD_BITMAP', `reference ${i} has the value ${v} — bitmap values must be coverage in 0..1 (convert PNGs with pngToBitmap)`)
        ink += v
      }
      if (ink < 1) throw new LatentypeError('BAD_BITMAP', `reference ${i} is blank (no ink) — pass a drawing of its class, e.g. a rendered glyph or icon`)
      return { bitmap, cls: this.resolveClass(r.class) }
    })
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

  /** Releases the sessions; later calls throw DISPOSED. Calling it again does nothing. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    const refinement = this.refinement?.then((r) => r.release()).catch(() => undefined)
    await Promise.all([this.decoderSession.release(), this.encoderSession.release(), refinement])
  }

  /** True after {@link dispose}. */
  get isDisposed(): boolean {
    return this.disposed
  }

  private assertLive(): void {
    if (this.disposed) throw new LatentypeError('DISPOSED', `this Generator (${this.card.name}) was disposed — load the model again with Generator.load`)
  }

  /** Runs a session; failures inside onnxruntime (or a custom backend) become RUNTIME errors, the original as cause. */
  private async run(session: Session, feeds: Parameters<Session['run']>[0], outputs: readonly string[]): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
    let res: Record<string, { data: Float32Array; dims: number[] }>
    try {
      res = await session.run(feeds, outputs)
    } catch (e) {
      if (e instanceof LatentypeError) throw e
      throw new LatentypeError('RUNTIME', `${session.backend} failed while running ${this.card.name}: ${(e as Error)?.message ?? String(e)}`, { cause: e })
    }
    for (const k of outputs) {
      if (!res[k] || !(res[k].data instanceof Float32Array)) throw new LatentypeError('RUNTIME', `${session.backend} returned no float32 "${k}" for ${this.card.name}`)
    }
    return res
  }

  private oneHot(ids: readonly number[]): { data: Float32Array; dims: number[] } {
    const K = this.card.classes.length
    const data = new Float32Array(ids.length * K)
    ids.forEach((id, i) => (data[i * K + id] = 1))
    return { data, dims: [ids.length, K] }
  }

  private toBitmaps(data: Float32Array, n: number): Bitmap[] {
    const S = this.card.imageSize
    const px = S * S * this.card.channels
    return Array.from({ length: n }, (_, i) => ({ width: S, height: S, data: data.slice(i * px, i * px + S * S) }))
  }
}

/** A value as a message shows it: strings quoted, with their type when that is the problem. */
function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  if (v === null || v === undefined) return String(v)
  if (v instanceof Float32Array) return `a Float32Array of ${v.length}`
  if (Array.isArray(v)) return `an array of ${v.length}`
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`
}

const isStyle = (v: unknown): v is Style => v !== null && typeof v === 'object' && 'mu' in v && 'class' in v && !('bitmap' in v)

const isNumberArray = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number')

function checkCount(n: unknown, name: string): number {
  if (typeof n !== 'number') throw new LatentypeError('BAD_COUNT', `${name} must be a number, got ${describe(n)}${typeof n === 'string' && /^\s*\d+\s*$/.test(n) ? ` — write ${name}: ${Number(n)}` : ''}`)
  if (!Number.isInteger(n) || n <= 0) throw new LatentypeError('BAD_COUNT', `${name} = ${n} is invalid — ask for a whole number of at least 1`)
  if (n > MAX_COUNT) throw new LatentypeError('BAD_COUNT', `${name} = ${n} is more than the ${MAX_COUNT} latents one call handles — split the request into batches of ≤ ${MAX_COUNT}`)
  return n
}

/** Checks one latent and returns it as a Float32Array (number[] is copied). */
function toLatent(z: unknown, size: number, index: number): Float32Array {
  const ok = z instanceof Float32Array || isNumberArray(z)
  if (!ok) {
    const what = Array.isArray(z) ? `an array holding ${describe(z.find((x) => typeof x !== 'number'))}` : describe(z)
    throw new LatentypeError('BAD_LATENT', `latent ${index} must be a Float32Array or number[] of ${size} values, got ${what}`)
  }
  if (z.length !== size) throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z.length} values but the model's latent size is ${size}`)
  const bad = z.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z[bad]} at dimension ${bad} — latents must be finite numbers`)
  return z instanceof Float32Array ? z : Float32Array.from(z)
}
