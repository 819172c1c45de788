/**
 * The weights stored in a model file as float32, by name (what an eval graph with weights as inputs needs).
 * float16-stored weights (`<name>__fp16`, widened by a Cast at load, sdk/onnx/fp16.ts) are widened here the
 * same way, and int8-stored ones (sdk/onnx/int8.ts) multiplied by their row scales, so shipped models can be
 * evaluated with the training graphs or fine-tuned from.
 */
import { LatentypeError } from '../errors.js'
import type { ModelCard } from '../model/card.js'
import { parseModelFile } from '../model/file.js'
import { float16Value } from '../onnx/fp16.js'
import { DataType } from '../onnx/model-proto.js'
import { dequantizeRows, INT8_SUFFIX, SCALE_SUFFIX } from '../onnx/int8.js'

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
  // int8 weights (`<name>__int8` and its float32 `<name>__scale`): widened as the Cast·Mul at load does
  const raw = new Map(model.graph.initializers.map((t) => [t.name, t]))
  for (const t of model.graph.initializers) {
    if (t.dataType !== DataType.INT8 || !t.name.endsWith(INT8_SUFFIX)) continue
    const name = t.name.slice(0, -INT8_SUFFIX.length)
    const scale = raw.get(name + SCALE_SUFFIX)
    if (!scale) throw new LatentypeError('BAD_MODEL_CARD', `${source} stores "${name}" as int8 without its scale "${name}${SCALE_SUFFIX}" — re-export the model`)
    weights.delete(name + SCALE_SUFFIX)
    weights.set(name, dequantizeRows(new Int8Array(t.rawData.slice().buffer), new Float32Array(scale.rawData.slice().buffer)))
  }
  if (weights.size === 0) throw new LatentypeError('BAD_MODEL_CARD', `${source} stores no float32 or float16 weights — re-export the model with npm run train`)
  return { card, weights }
}
