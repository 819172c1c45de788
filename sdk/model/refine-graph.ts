/**
 * The refinement graph stored in a model file beside the encoder and decoder: the decoder again (reading the same
 * weights), the pixel likelihood of a target image, and the gradient of that loss with respect to the latent,
 * emitted by the SDK's autodiff. `Generator.fit` runs it to move a style latent towards the references it came from.
 *
 * Inputs `fit_z` [N, latent] (public units, like `dec_z`), `fit_class` [N, classes], `fit_target` [N, C, S, S]
 * (coverage in 0..1); outputs `fit_rec` [N] = −log p(target | z, class) per item, and `fit_grad` [N, latent] =
 * ∂(Σ fit_rec)/∂fit_z (row n is item n's own gradient: the items do not interact).
 */
import type { Graph } from '../graph/graph.js'
import type { Init } from '../graph/layers.js'
import { gradients, sumAll } from '../train/autodiff.js'
import { attr } from '../graph/graph.js'
import { decoder } from './cvae.js'
import { pixelNll } from './likelihood.js'
import { latentFromPrior, type PriorParams } from './prior.js'
import type { CvaeSpec } from './spec.js'

/** Public tensor names of the refinement graph. */
export const REFINE_IO = { z: 'fit_z', class: 'fit_class', target: 'fit_target', rec: 'fit_rec', grad: 'fit_grad' } as const

/** Adds the refinement graph to a graph that already holds the decoder's weights (and the prior's, when given). */
export function addRefinementGraph(g: Graph, spec: CvaeSpec, init: Init, prior?: PriorParams): void {
  const S = spec.imageSize
  const z = g.input(REFINE_IO.z, ['N', spec.latentSize])
  const c = g.input(REFINE_IO.class, ['N', spec.numClasses])
  const x = g.input(REFINE_IO.target, ['N', spec.channels, S, S])
  const logits = g.sharingParams(() => decoder(g, spec, prior ? latentFromPrior(g, prior, z, c) : z, c, init))
  const rec = g.scope('fit', () => g.op('ReduceSum', [pixelNll(g, spec, logits, x), g.int64([1, 2, 3], 'axes')], { keepdims: attr.i(0) }, 'rec_each'))
  const grad = gradients(g, g.scope('fit', () => sumAll(g, rec)), [z]).get(z.name)!
  g.output(rec, REFINE_IO.rec)
  g.output(grad, REFINE_IO.grad)
}
