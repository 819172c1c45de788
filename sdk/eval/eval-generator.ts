/**
 * The Generator evaluation runs: a model file opened on onnxruntime-node (as `Generator.load` opens it, float16
 * storage included) with the thread count bulk work wants, plus class-major prior draws for sample sheets.
 * Batches go through {@link Generator.decodeBatch} and {@link Generator.encodeBatch}.
 *
 * @example
 * ```ts
 * const gen = await EvalGenerator.open(bytes, { threads: 4 })
 * const z = gen.priorLatents(1, 10) // 10 latents per class
 * const images = await gen.decodeBatch(z, classIds, z.length / gen.card.latentSize)
 * ```
 */
import { availableParallelism } from 'node:os'
import { Generator, type LazyParts } from '../generate/generator.js'
import type { ModelCard } from '../model/card.js'
import { samplePrior, type StoredPrior } from '../model/prior.js'
import { Rng } from '../random.js'
import { nodeBackend } from '../runtime/node.js'
import type { Session } from '../runtime/session.js'

export class EvalGenerator extends Generator {
  /** The fitted prior stored in the file, if any. */
  readonly storedPrior?: StoredPrior

  /** @internal Use {@link EvalGenerator.open}. */
  constructor(card: ModelCard, decoder: Session, encoder: Session, prior?: StoredPrior, lazy?: LazyParts) {
    super(card, decoder, encoder, prior, lazy)
    this.storedPrior = prior
  }

  /** Opens model bytes on onnxruntime-node with `threads` intra-op threads (default: every core). */
  static async open(bytes: Uint8Array, o: { threads?: number; source?: string } = {}): Promise<EvalGenerator> {
    return EvalGenerator.fromBytes(bytes, nodeBackend({ threads: o.threads ?? availableParallelism() }), o.source)
  }

  /**
   * `per` prior latents for each of the model's classes, class-major (per·K·latentSize floats), drawn as
   * `sample` draws them at the card's default temperature, all from one Rng seeded with `seed`.
   */
  priorLatents(seed: number, per: number): Float32Array {
    const L = this.card.latentSize
    const K = this.card.classes.length
    const rng = new Rng(seed)
    const z = new Float32Array(K * per * L)
    for (let c = 0; c < K; c++) samplePrior(this.storedPrior, L, c, per, rng, this.defaultTemperature).forEach((u, i) => z.set(u, (c * per + i) * L))
    return z
  }
}
