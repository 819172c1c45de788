/**
 * The weights stored in a model file as float32, by name (what an eval graph with weights as inputs needs).
 * float16-stored weights (`<name>__fp16`, widened by a Cast at load, sdk/onnx/fp16.ts) are widened here the
 * same way, so shipped fp16 models can be evaluated with the training graphs.
 */
import { LatentypeError } from '../errors.js'
import type { ModelCard } from '../model/card.js'
import { parseModelFile } from '../model/file.js'
import { float16Value } from '../onnx/fp16.js'
import { DataType } from '../onnx/model-proto.js'

const FP16_SUFFIX = '__fp16'

export function readModelWeights(bytes: Uint8Array, source = 'model'): { card: ModelCard; weights: Map<string, Float32Array> } {
  const { card, model } = parseModelFile(bytes, source)
  const weights = new Map<string, Float32Array>()
  for (const t of model.graph.initializers) {
    if (!t.rawData) continue
    if (t.dataType === DataType.FLOAT) weights.set(t.name, new Float32Array(t.rawData.slice().buffer))
    else if (t.dataType === DataType.FLOAT16 && t.name.endsWith(FP16_SUFFIX)) {
      const half = new Uint16Array(t.rawData.slice().buffer)
      weights.set(t.name.slice(0, -FP16_SUFFIX.length), Float32Array.from(half, float16Value))
    }
  }
  if (weights.size === 0) throw new LatentypeError('BAD_MODEL_CARD', `${source} stores no float32 or float16 weights — re-export the model with npm run train`)
  return { card, weights }
}
