/**
 * The Generator's core: the model's sessions, sampling, decoding and encoding (one latent at a time or in flat
 * batches). sdk/generate/generator.ts adds interpolation and style from references on top.
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
import { checkCount, describe, isNumberArray, toLatent } from './checks.js'
import { affineOf, productOfExperts, refineStyle, type RefineOptions } from './style.js'

export { MAX_COUNT } from './checks.js'
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

/** Parts of a model file a Generator opens on first use. */
export interface LazyParts {
  /** Opens the refinement graph's session (absent in files exported before it). */
  openRefinement?: () => Promise<Session>
  /** How the file was named when loaded, for messages. */
  source?: string
}

export class GeneratorCore {
  /** The model card read from the file. */
  readonly card: ModelCard
  protected readonly decoderSession: Session
  protected readonly encoderSession: Session
  /** The fitted prior stored in the file (sdk/model/prior.ts), if any. */
  protected readonly prior?: StoredPrior
  protected readonly lazy: LazyParts
  protected refinement?: Promise<Session>
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
  static async fromBytes<T extends GeneratorCore>(this: new (c: ModelCard, d: Session, e: Session, p?: StoredPrior, lazy?: LazyParts) => T, bytes: Uint8Array, backend: Backend, source = 'model'): Promise<T> {
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

  protected assertLive(): void {
    if (this.disposed) throw new LatentypeError('DISPOSED', `this Generator (${this.card.name}) was disposed — load the model again with Generator.load`)
  }

  /** Runs a session; failures inside onnxruntime (or a custom backend) become RUNTIME errors, the original as cause. */
  protected async run(session: Session, feeds: Parameters<Session['run']>[0], outputs: readonly string[]): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
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

  protected oneHot(ids: readonly number[]): { data: Float32Array; dims: number[] } {
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
