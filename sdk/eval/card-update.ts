/**
 * Rewrites the model card inside a model file without touching the graph or the weights, and keeps one section
 * per model in models/README.md (between `<!-- eval:NAME -->` markers, replaced on rerun).
 */
import { CARD_KEY, validateCard, type ModelCard } from '../model/card.js'
import { parseModelFile } from '../model/file.js'
import { encodeModel } from '../onnx/model-proto.js'

/**
 * The same model file with `update(card)` as its card. The graph (nodes, initializers, I/O) is re-encoded from
 * the parsed proto, so the weights are byte-identical; the new card is validated first.
 *
 * @example
 * ```ts
 * writeFileAtomic(path, withCard(bytes, (c) => ({ ...c, metrics: { ...c.metrics, active_units: 12 } })))
 * ```
 */
export function withCard(bytes: Uint8Array, update: (card: ModelCard) => ModelCard, source = 'model'): Uint8Array {
  const { card, model } = parseModelFile(bytes, source)
  const next = validateCard(update(structuredClone(card)))
  const out = encodeModel({ ...model, metadata: { ...model.metadata, [CARD_KEY]: JSON.stringify(next) } })
  parseModelFile(out, source)
  return out
}

/** `readme` with the section for `name` replaced (or appended); `body` is markdown without the markers. */
export function upsertSection(readme: string, name: string, body: string): string {
  const open = `<!-- eval:${name} -->`
  const close = `<!-- /eval:${name} -->`
  const block = `${open}\n${body.trim()}\n${close}`
  const a = readme.indexOf(open)
  const b = readme.indexOf(close)
  if (a >= 0 && b > a) return readme.slice(0, a) + block + readme.slice(b + close.length)
  const base = readme.trimEnd()
  return `${base ? `${base}\n\n` : ''}${block}\n`
}
