/**
 * Typed errors. Every error the SDK throws on bad input is a {@link LatentypeError} with a stable `code`
 * and a message that names the problem and the fix.
 *
 * @example
 * ```ts
 * try { gen.sample({ class: 'hart' }) } catch (e) {
 *   if (e instanceof LatentypeError && e.code === 'UNKNOWN_CLASS') console.log(e.message)
 * }
 * ```
 */
export type ErrorCode =
  /** A model path or URL that does not exist (or answers 404). */
  | 'FILE_NOT_FOUND'
  /** The bytes are not an ONNX model (truncated, another format). */
  | 'NOT_ONNX'
  /** An ONNX model without a latentype model card. */
  | 'NO_MODEL_CARD'
  /** The model card is not valid JSON or a field has the wrong shape. */
  | 'BAD_MODEL_CARD'
  /** The weights do not match the checksum in the card: the file was damaged after export. */
  | 'DAMAGED_MODEL'
  /** The model cannot be used: NaN/Inf weights, or onnxruntime refuses the graph. */
  | 'BAD_MODEL'
  /** The graph's inputs/outputs disagree with the card. */
  | 'SHAPE_MISMATCH'
  | 'UNKNOWN_CLASS'
  | 'BAD_COUNT'
  | 'BAD_LATENT'
  | 'BAD_BITMAP'
  | 'BAD_ARGUMENT'
  | 'BAD_DATASET'
  | 'BAD_IMAGE'
  | 'TRAINING_DIVERGED'
  /** The Generator (or its session) was used after `dispose()`. */
  | 'DISPOSED'
  /** onnxruntime-node / onnxruntime-web (an optional peer dependency) is not installed. */
  | 'MISSING_RUNTIME'
  /** onnxruntime-web's WebAssembly file is missing, unreachable or of another build. */
  | 'BAD_WASM'
  /** A file-system error (read-only, disk full, a file where a folder is needed, …); the message names the path. */
  | 'FILE_SYSTEM'
  /** The output already exists and would be overwritten (e.g. a training run folder without --resume/--force). */
  | 'OUTPUT_EXISTS'
  /** onnxruntime failed while running a model: an internal error, not bad input. */
  | 'RUNTIME'
  /** The caller cancelled the call (an AbortSignal fired). */
  | 'ABORTED'
  /** The model file lacks a part a method needs (e.g. `fit`'s refinement graph in files exported before it). */
  | 'MISSING_PART'

export class LatentypeError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LatentypeError'
    this.code = code
  }
}

/** True for errors caused by the caller's input (CLI exit code 2) rather than an internal failure. */
export function isInputError(e: unknown): e is LatentypeError {
  return e instanceof LatentypeError && e.code !== 'RUNTIME'
}
