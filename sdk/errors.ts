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
  | 'FILE_NOT_FOUND'
  | 'NOT_ONNX'
  | 'NO_MODEL_CARD'
  | 'BAD_MODEL_CARD'
  | 'SHAPE_MISMATCH'
  | 'UNKNOWN_CLASS'
  | 'BAD_COUNT'
  | 'BAD_LATENT'
  | 'BAD_BITMAP'
  | 'BAD_ARGUMENT'
  | 'BAD_DATASET'
  | 'BAD_IMAGE'
  | 'TRAINING_DIVERGED'
  | 'RUNTIME'

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
