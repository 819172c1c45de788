/**
 * The Generator: sample latents, decode them to bitmaps, encode bitmaps, interpolate, transfer style.
 * Backend-agnostic; `latentype` (Node) and `latentype/web` add `Generator.load`.
 */
import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from '../image/bitmap.js'
import type { ClassInfo, ModelCard } from '../model/card.js'
import { IO } from '../model/cvae.js'
import { parseModelFile, splitModel } from '../model/file.js'
import { readPrior, samplePrior, toModelLatent, toPriorUnits, type StoredPrior } from '../model/prior.js'
import { latentParts } from '../model/spec.js'
import { Rng } from '../random.js'
import type { Backend, Session } from '../runtime/session.js'
import { resolveClass, type ClassRef } from './classes.js'

/** Most latents one call may sample or decode; larger requests are refused with BAD_COUNT. */
export const MAX_COUNT = 4096
/** Decoder batch size used internally. */
const CHUNK = 64

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

export class Generator {
  /** The model card read from the file. */
  readonly card: ModelCard
  private readonly decoderSession: Session
  private readonly encoderSession: Session
  /** The fitted prior stored in the file (sdk/model/prior.ts), if any. */
  private readonly prior?: StoredPrior

  /** @internal Use `Generator.load` (entry points) or {@link Generator.fromBytes}. */
  constructor(card: ModelCard, decoder: Session, encoder: Session, prior?: StoredPrior) {
    this.card = card
    this.decoderSession = decoder
    this.encoderSession = encoder
    this.prior = prior
  }

  /** Opens model bytes on a backend (entry points wrap this as `Generator.load`). */
  static async fromBytes<T extends Generator>(this: new (c: ModelCard, d: Session, e: Session, p?: StoredPrior) => T, bytes: Uint8Array, backend: Backend, source = 'model'): Promise<T> {
    const { card, model } = parseModelFile(bytes, source)
    const prior = card.prior ? readPrior(model, card.classes.length, card.latentSize) : undefined
    const halves = splitModel(model)
    const [dec, enc] = await Promise.all([backend.createSession(halves.decoder), backend.createSession(halves.encoder)])
    return new this(card, dec, enc, prior)
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
    const cls = this.resolveClass(o.class)
    const n = checkCount(o.n ?? 1)
    const t = o.temperature ?? this.defaultTemperature
    if (!Number.isFinite(t) || t < 0 || t > 10) throw new LatentypeError('BAD_ARGUMENT', `temperature ${t} is out of range — use a value between 0 and 10 (1 = the prior)`)
    const seed = o.seed ?? 0
    if (!Number.isInteger(seed)) throw new LatentypeError('BAD_ARGUMENT', `seed ${seed} must be an integer`)
    return samplePrior(this.prior, this.card.latentSize, cls.id, n, new Rng(seed), t)
  }

  /** Decodes latents for one class (or one class per latent) into coverage bitmaps. */
  async decode(latents: readonly Float32Array[], cls: ClassRef | readonly ClassRef[]): Promise<Bitmap[]> {
    checkCount(latents.length)
    const L = this.card.latentSize
    latents.forEach((z, i) => checkLatent(z, L, i))
    const classIds = Array.isArray(cls) ? cls.map((c) => this.resolveClass(c).id) : latents.map(() => this.resolveClass(cls as ClassRef).id)
    if (classIds.length !== latents.length) throw new LatentypeError('BAD_ARGUMENT', `${classIds.length} classes for ${latents.length} latents — give one class, or one per latent`)
    const out: Bitmap[] = []
    for (let start = 0; start < latents.length; start += CHUNK) {
      const batch = latents.slice(start, start + CHUNK)
      const z = new Float32Array(batch.length * L)
      batch.forEach((v, i) => z.set(v, i * L))
      const onehot = this.oneHot(classIds.slice(start, start + CHUNK))
      const res = await this.decoderSession.run({ [IO.decoder.z]: { data: z, dims: [batch.length, L] }, [IO.decoder.class]: onehot }, [IO.decoder.image])
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
    const S = this.card.imageSize
    assertBitmap(bitmap, S, S)
    for (const v of bitmap.data) if (!(v >= 0 && v <= 1)) throw new LatentypeError('BAD_BITMAP', `bitmap values must be coverage in 0..1 (found ${v}) — convert PNGs with pngToBitmap`)
    const res = await this.encoderSession.run(
      { [IO.encoder.image]: { data: bitmap.data, dims: [1, 1, S, S] }, [IO.encoder.class]: this.oneHot([this.resolveClass(cls).id]) },
      [IO.encoder.mu, IO.encoder.logvar],
    )
    return { mu: res[IO.encoder.mu]!.data, logvar: res[IO.encoder.logvar]!.data }
  }

  /** `steps` latents from a to b inclusive, linearly. */
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array[] {
    const L = this.card.latentSize
    checkLatent(a, L, 0)
    checkLatent(b, L, 1)
    if (!Number.isInteger(steps) || steps < 2 || steps > 256) throw new LatentypeError('BAD_COUNT', `steps ${steps} must be an integer from 2 to 256`)
    return Array.from({ length: steps }, (_, k) => {
      const t = k / (steps - 1)
      return a.map((v, i) => v + (b[i]! - v) * t)
    })
  }

  /**
   * Encodes the style of `bitmap` (drawn as `fromClass`) and decodes it as each of `toClasses`. With a spatial
   * latent, the grid holds the source's own drawing, so the target keeps the global (style) part and takes its
   * class's mean grid under the fitted prior.
   */
  async transfer(bitmap: Bitmap, fromClass: ClassRef, toClasses: readonly ClassRef[]): Promise<{ class: ClassInfo; bitmap: Bitmap }[]> {
    const from = this.resolveClass(fromClass)
    const { mu } = await this.encode(bitmap, from.id)
    const targets = toClasses.map((c) => this.resolveClass(c))
    const bitmaps = await this.decode(targets.map((t) => this.transferLatent(mu, from.id, t.id)), targets.map((t) => t.id))
    return targets.map((c, i) => ({ class: c, bitmap: bitmaps[i]! }))
  }

  /** The latent that draws class `to` in the style of latent `u` of class `from` (see {@link transfer}). */
  private transferLatent(u: Float32Array, from: number, to: number): Float32Array {
    const parts = latentParts(this.card.spec)
    if (!this.prior || parts.grid === 0 || from === to) return u
    const z = toModelLatent(this.prior, u, from)
    const L = this.card.latentSize
    z.set(this.prior.mean.subarray(to * L + parts.global, (to + 1) * L), parts.global)
    return toPriorUnits(this.prior, z, to)
  }

  async dispose(): Promise<void> {
    await Promise.all([this.decoderSession.release(), this.encoderSession.release()])
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

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new LatentypeError('BAD_COUNT', `count ${n} is invalid — ask for at least 1`)
  if (n > MAX_COUNT) throw new LatentypeError('BAD_COUNT', `count ${n} is more than the ${MAX_COUNT} latents one call handles — split the request into batches of ≤ ${MAX_COUNT}`)
  return n
}

function checkLatent(z: Float32Array, size: number, index: number): void {
  if (!(z instanceof Float32Array) || z.length !== size) {
    throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z?.length ?? 'no'} values but the model's latent size is ${size}`)
  }
  const bad = z.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) throw new LatentypeError('BAD_LATENT', `latent ${index} has ${z[bad]} at dimension ${bad} — latents must be finite numbers`)
}
