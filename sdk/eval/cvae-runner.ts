/**
 * Batched encoder/decoder access to a model file for evaluation: the file's two halves (as Generator opens them,
 * float16 storage included) run on onnxruntime-node with any batch size.
 */
import type { ModelCard } from '../model/card.js'
import { IO } from '../model/cvae.js'
import { parseModelFile, splitModel } from '../model/file.js'
import { readPrior, samplePrior, type StoredPrior } from '../model/prior.js'
import { Rng } from '../random.js'
import { GraphRunner } from '../train/session.js'

const CHUNK = 256

export class CvaeRunner {
  private constructor(readonly card: ModelCard, private readonly enc: GraphRunner, private readonly dec: GraphRunner, readonly prior?: StoredPrior) {}

  static async fromBytes(bytes: Uint8Array, o: { threads?: number; source?: string } = {}): Promise<CvaeRunner> {
    const { card, model } = parseModelFile(bytes, o.source)
    const halves = splitModel(model)
    const prior = card.prior ? readPrior(model, card.classes.length, card.latentSize) : undefined
    return new CvaeRunner(card, await GraphRunner.open(halves.encoder, { threads: o.threads }), await GraphRunner.open(halves.decoder, { threads: o.threads }), prior)
  }

  /** `per` prior latents for each of the model's classes, class-major, drawn as `Generator.sample` draws them at the card's default temperature (one Rng from `seed`). */
  priorLatents(seed: number, per: number): Float32Array {
    const L = this.card.latentSize
    const K = this.card.classes.length
    const rng = new Rng(seed)
    const z = new Float32Array(K * per * L)
    const t = this.card.sampling?.temperature ?? 1
    for (let c = 0; c < K; c++) samplePrior(this.prior, L, c, per, rng, t).forEach((u, i) => z.set(u, (c * per + i) * L))
    return z
  }

  get latentSize(): number {
    return this.card.latentSize
  }

  get imageSize(): number {
    return this.card.imageSize
  }

  private onehot(classIds: ArrayLike<number>, s: number, m: number): Float32Array {
    const K = this.card.classes.length
    const out = new Float32Array(m * K)
    for (let i = 0; i < m; i++) out[i * K + classIds[s + i]!] = 1
    return out
  }

  /** Posterior means and log-variances for `n` coverage images (n·S·S floats) of the given classes. */
  async encode(images: Float32Array, classIds: ArrayLike<number>, n: number): Promise<{ mu: Float32Array; logvar: Float32Array }> {
    const S = this.card.imageSize
    const L = this.card.latentSize
    const K = this.card.classes.length
    const mu = new Float32Array(n * L)
    const logvar = new Float32Array(n * L)
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s)
      const r = await this.enc.run(
        { [IO.encoder.image]: { data: images.subarray(s * S * S, (s + m) * S * S), dims: [m, 1, S, S] }, [IO.encoder.class]: { data: this.onehot(classIds, s, m), dims: [m, K] } },
        [IO.encoder.mu, IO.encoder.logvar],
      )
      mu.set(r[IO.encoder.mu]!, s * L)
      logvar.set(r[IO.encoder.logvar]!, s * L)
    }
    return { mu, logvar }
  }

  /** Coverage images (n·S·S floats) for `n` latents (n·L floats) of the given classes. */
  async decode(z: Float32Array, classIds: ArrayLike<number>, n: number): Promise<Float32Array> {
    const S = this.card.imageSize
    const L = this.card.latentSize
    const K = this.card.classes.length
    const out = new Float32Array(n * S * S)
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s)
      const r = await this.dec.run({ [IO.decoder.z]: { data: z.subarray(s * L, (s + m) * L), dims: [m, L] }, [IO.decoder.class]: { data: this.onehot(classIds, s, m), dims: [m, K] } }, [IO.decoder.image])
      out.set(r[IO.decoder.image]!, s * S * S)
    }
    return out
  }

  async release(): Promise<void> {
    await Promise.all([this.enc.release(), this.dec.release()])
  }
}
