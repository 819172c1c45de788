/** The float32 weights stored in a model file, by name (what an eval graph with weights as inputs needs). */
import { LatentypeError } from '../errors.js'
import type { ModelCard } from '../model/card.js'
import { parseModelFile } from '../model/file.js'
import { DataType } from '../onnx/model-proto.js'

export function readModelWeights(bytes: Uint8Array, source = 'model'): { card: ModelCard; weights: Map<string, Float32Array> } {
  const { card, model } = parseModelFile(bytes, source)
  const weights = new Map<string, Float32Array>()
  for (const t of model.graph.initializers) {
    if (t.dataType !== DataType.FLOAT || !t.rawData) continue
    weights.set(t.name, new Float32Array(t.rawData.slice().buffer))
  }
  if (weights.size === 0) throw new LatentypeError('BAD_MODEL_CARD', `${source} stores no float32 weights (fp16 models cannot be evaluated) — evaluate the fp32 export`)
  return { card, weights }
}
