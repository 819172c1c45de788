/**
 * Starts a model with wider decoder maps from a trained one without changing what it draws (Net2Net-style
 * widening, Chen et al. 2016): every weight of the trained model is copied; a grown map's new channels get fresh
 * weights into them (so they learn) and zero weights out of them (so the output is unchanged at step 0), and their
 * biases and class biases start at zero. Only the decoder's maps after the first may grow, except the map a latent
 * grid joins (`spatialLatent.side`); everything else must match. Used by `npm run train -- --init <model>` when
 * the model's spec is narrower than the run's.
 */
import { LatentypeError } from '../errors.js'
import { Graph } from '../graph/graph.js'
import type { Init } from '../graph/layers.js'
import { buildInferenceGraphs } from '../model/cvae.js'
import { latentParts, type CvaeSpec } from '../model/spec.js'

/** JSON with object keys sorted, so two specs compare equal whatever order their fields were written in. */
const canonical = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
  : JSON.stringify(v)
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b)

/** Whether two specs describe the same model. */
export const sameSpec = (a: CvaeSpec, b: CvaeSpec): boolean => same(a, b)

/**
 * The reason `from` cannot be widened into `to`, or undefined when it can (including when they are equal). The
 * pixel likelihood may differ: the weights have the same shapes whatever the decoder's output means, so a
 * Bernoulli model can start a distance-field run.
 */
export function widenProblem(from: CvaeSpec, to: CvaeSpec): string | undefined {
  const fc = from.decoder.conv
  const tc = to.decoder.conv
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => k !== 'decoder' && k !== 'likelihood' && k !== 'fieldDensity')
  const differs = keys.filter((k) => !same(from[k as keyof CvaeSpec], to[k as keyof CvaeSpec]))
  if (from.decoder.hidden !== to.decoder.hidden) differs.push('decoder.hidden')
  if (fc.length !== tc.length || fc[0] !== tc[0]) differs.push(`decoder.conv [${fc}] vs [${tc}] (layers or first width)`)
  if (differs.length) return `only the decoder conv widths after the first may differ, but ${differs.join(', ')} differ`
  const narrower = tc.findIndex((c, i) => c < fc[i]!)
  if (narrower >= 0) return `decoder conv ${narrower} would shrink (${fc[narrower]} → ${tc[narrower]})`
  // the latent grid's channels follow the map they join, so that map cannot grow (its new channels would take the grid's rows)
  const level = latentParts(to).level
  if (level > 0 && tc[level] !== fc[level]) return `decoder conv ${level} takes the latent grid (spatialLatent.side ${to.spatialLatent!.side}) and cannot grow (${fc[level]} → ${tc[level]})`
  return undefined
}

/** Parameter shapes of a spec's inference graphs, by name. */
function paramShapes(spec: CvaeSpec): Map<string, number[]> {
  const shapes = new Map<string, number[]>()
  const g = new Graph()
  buildInferenceGraphs(g, spec, (name, shape) => {
    shapes.set(name, shape)
    return new Float32Array(shape.reduce((a, b) => a * b, 1))
  })
  return shapes
}

/**
 * An {@link Init} for `to` from `weights` of a model of spec `from` (see the file comment); `fresh` supplies the new
 * channels' incoming weights. Throws BAD_ARGUMENT naming the difference when `from` cannot be widened into `to`.
 */
export function widenedInit(from: CvaeSpec, weights: ReadonlyMap<string, Float32Array>, to: CvaeSpec, fresh: Init): Init {
  const problem = widenProblem(from, to)
  if (problem) {
    throw new LatentypeError('BAD_ARGUMENT', `--init model's spec cannot start this run: ${problem} — start from a model of the same spec, or one whose decoder maps are narrower`)
  }
  const oldShapes = paramShapes(from)
  return (name, shape, fanIn, role) => {
    const old = weights.get(name)
    const oldShape = oldShapes.get(name)
    if (!old || !oldShape) throw new LatentypeError('BAD_ARGUMENT', `the initial weights have nothing for "${name}" — start from a model of the same spec`)
    const n = shape.reduce((a, b) => a * b, 1)
    if (old.length !== oldShape.reduce((a, b) => a * b, 1)) throw new LatentypeError('BAD_ARGUMENT', `the initial weights have ${old.length} values for "${name}" (its spec says [${oldShape}])`)
    if (old.length === n) return old.slice()
    // ConvTranspose W [in, out, k, k]: new inputs (axis 0) start at zero, new outputs (axis 1) fresh;
    // biases [out] and class biases [classes, out] start at zero in their new channels
    const isDeconvW = /\/deconv\d+\/W$/.test(name)
    const out = isDeconvW ? fresh(name, shape, fanIn, role).slice() : new Float32Array(n)
    if (isDeconvW) for (let i = oldShape[0]!; i < shape[0]!; i++) out.fill(0, i * shape[1]! * shape[2]! * shape[3]!, (i + 1) * shape[1]! * shape[2]! * shape[3]!)
    const strides = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1))
    const os = strides(oldShape)
    const ns = strides(shape)
    for (let j = 0; j < old.length; j++) {
      let k = 0
      for (let d = 0; d < oldShape.length; d++) k += Math.floor(j / os[d]!) % oldShape[d]! * ns[d]!
      out[k] = old[j]!
    }
    return out
  }
}
