/**
 * The model file: one ONNX ModelProto (opset 17) whose graph holds the decoder and the encoder side by side
 * (inputs dec_z, dec_class → dec_image; enc_image, enc_class → enc_mu, enc_logvar) and the model card in
 * metadata_props. Runtimes open the two halves as separate sessions ({@link splitModel}).
 */
import { LatentypeError } from '../errors.js'
import { Graph } from '../graph/graph.js'
import type { Init } from '../graph/layers.js'
import { decodeModel, encodeModel, type Dim, type ModelProto, type ValueInfoProto } from '../onnx/model-proto.js'
import { storeAsFloat16 } from '../onnx/fp16.js'
import { storeAsInt8 } from '../onnx/int8.js'
import { extractSubModel } from '../onnx/prune.js'
import { SDK_VERSION } from '../version.js'
import { CARD_KEY, FORMAT_VERSION, validateCard, type ModelCard } from './card.js'
import { buildInferenceGraphs, IO } from './cvae.js'
import { addRefinementGraph, REFINE_IO } from './refine-graph.js'
import { checkFiniteWeights, modelChecksum, verifyChecksum } from './integrity.js'

export const OPSET = 17
export const IR_VERSION = 8

/** Card fields the caller provides; format, sizes, spec and checksum are filled in. */
export type CardInput = Omit<ModelCard, 'format' | 'formatVersion' | 'imageSize' | 'channels' | 'latentSize' | 'createdAt' | 'sdkVersion' | 'checksum'> & { createdAt?: string }

/**
 * Builds the model file bytes from a card and weights (random or trained, via `init`). The file holds the
 * refinement graph (sdk/model/refine-graph.ts) unless `refinement: false` (the layout of files exported before it).
 */
export function buildModelFile(card: CardInput, init: Init, o: { refinement?: boolean } = {}): Uint8Array {
  const spec = card.spec
  const full: ModelCard = {
    format: 'latentype-model',
    formatVersion: FORMAT_VERSION,
    ...card,
    imageSize: spec.imageSize,
    channels: spec.channels,
    latentSize: spec.latentSize,
    createdAt: card.createdAt ?? new Date().toISOString(),
    sdkVersion: SDK_VERSION,
  }
  validateCard(full)
  const g = new Graph()
  const { prior } = buildInferenceGraphs(g, spec, init, { fittedPrior: !!full.prior, priorComponents: full.prior?.components ?? 0 })
  if (o.refinement !== false) addRefinementGraph(g, spec, init, prior)
  let graph = g.toProto(full.name)
  const params = g.params().map((p) => ({ name: p.value.name, rank: p.value.shape.length }))
  if (full.weightFormat === 'float16/int8') graph = storeAsInt8(graph, new Set(params.filter((p) => p.name.startsWith('enc/') && p.rank >= 2).map((p) => p.name)))
  if (full.weightFormat === 'float16' || full.weightFormat === 'float16/int8') graph = storeAsFloat16(graph, new Set(params.map((p) => p.name)))
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImports: [{ domain: '', version: OPSET }],
    producerName: 'latentype',
    producerVersion: SDK_VERSION,
    docString: `latentype CVAE "${full.name}" (${full.kind}, ${full.classes.length} classes, ${spec.imageSize}×${spec.imageSize}, latent ${spec.latentSize})`,
    graph,
    metadata: {},
  }
  // The checksum covers everything but the metadata, so it can be computed before the card is added.
  const checksum = modelChecksum(encodeModel(model))
  return encodeModel({ ...model, metadata: { [CARD_KEY]: JSON.stringify({ ...full, checksum }), 'latentype.format_version': String(FORMAT_VERSION) } })
}

export interface ParsedModel {
  card: ModelCard
  model: ModelProto
}

/** Parses and validates model file bytes: ONNX well-formed, card present and valid, graph I/O matching the card. */
export function parseModelFile(bytes: Uint8Array, source = 'model'): ParsedModel {
  let model: ModelProto
  try {
    model = decodeModel(bytes)
  } catch (e) {
    throw new LatentypeError('NOT_ONNX', `${source} is not a readable ONNX model (${(e as Error).message}) — the file is truncated or not a model; re-download or re-export it`)
  }
  if (!model.graph || model.graph.nodes.length === 0 || model.opsetImports.length === 0) {
    throw new LatentypeError('NOT_ONNX', `${source} is not a readable ONNX model (no graph) — the file is truncated or not a model`)
  }
  const raw = model.metadata[CARD_KEY]
  if (raw === undefined) {
    throw new LatentypeError('NO_MODEL_CARD', `${source} is an ONNX model without a latentype model card (metadata "${CARD_KEY}") — only models exported by latentype can be loaded`)
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new LatentypeError('BAD_MODEL_CARD', `${source}: model card is not valid JSON — the file is damaged or was edited by hand; download it again or re-export the model`)
  }
  const card = withSource(() => validateCard(json), source)
  // Files exported before the checksum existed have none and still load.
  if (card.checksum !== undefined) verifyChecksum(bytes, card.checksum, source)
  checkShapes(model, card, source)
  checkFiniteWeights(model, source)
  return { card, model }
}

/** Card errors name the file they came from. */
function withSource<T>(f: () => T, source: string): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof LatentypeError && e.code === 'BAD_MODEL_CARD') throw new LatentypeError('BAD_MODEL_CARD', `${source}: ${e.message}`)
    throw e
  }
}

function checkShapes(model: ModelProto, card: ModelCard, source: string): void {
  const S = card.imageSize
  const K = card.classes.length
  const expect: [ValueInfoProto[], string, Dim[]][] = [
    [model.graph.inputs, IO.decoder.z, ['N', card.latentSize]],
    [model.graph.inputs, IO.decoder.class, ['N', K]],
    [model.graph.outputs, IO.decoder.image, ['N', card.channels, S, S]],
    [model.graph.inputs, IO.encoder.image, ['N', card.channels, S, S]],
    [model.graph.inputs, IO.encoder.class, ['N', K]],
    [model.graph.outputs, IO.encoder.mu, ['N', card.latentSize]],
    [model.graph.outputs, IO.encoder.logvar, ['N', card.latentSize]],
  ]
  for (const [list, name, shape] of expect) {
    const v = list.find((x) => x.name === name)
    const got = v?.shape
    const ok = got && got.length === shape.length && got.every((d, i) => (typeof shape[i] === 'string' ? typeof d === 'string' || d === -1 : d === shape[i]))
    if (!ok) {
      throw new LatentypeError('SHAPE_MISMATCH', `${source}: graph ${v ? `"${name}" has shape [${got?.join(', ')}]` : `has no "${name}"`} but the model card implies [${shape.join(', ')}] — the card and the weights come from different models; re-export`)
    }
  }
}

/** True when the file holds the refinement graph (files exported before it do not). */
export function hasRefinement(model: ModelProto): boolean {
  return model.graph.outputs.some((v) => v.name === REFINE_IO.grad)
}

/** The decoder and encoder halves (and the refinement graph, when the file has it) as standalone ONNX bytes, ready for an inference session. */
export function splitModel(model: ModelProto): { decoder: Uint8Array; encoder: Uint8Array; refinement?: Uint8Array } {
  const strip = (m: ModelProto): Uint8Array => encodeModel({ ...m, metadata: {} })
  return {
    decoder: strip(extractSubModel(model, [IO.decoder.image])),
    encoder: strip(extractSubModel(model, [IO.encoder.mu, IO.encoder.logvar])),
    ...(hasRefinement(model) ? { refinement: strip(extractSubModel(model, [REFINE_IO.rec, REFINE_IO.grad])) } : {}),
  }
}
