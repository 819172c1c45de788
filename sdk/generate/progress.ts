/**
 * Model-loading progress, in the style of transformers.js's `progress_callback`: `initiate`, then `progress` while
 * bytes arrive (`progress` in percent when the size is known), `done` when the file is read, `ready` when the
 * sessions are open.
 *
 * @example
 * ```ts
 * const gen = await Generator.load('/models/glyphs.onnx', {
 *   onProgress: (p) => { if (p.status === 'progress') bar.value = p.progress ?? 0 },
 * })
 * ```
 */
import { LatentypeError } from '../errors.js'

export type LoadProgress =
  | { status: 'initiate'; file: string }
  | { status: 'progress'; file: string; loaded: number; total?: number; progress?: number }
  | { status: 'done'; file: string; loaded: number }
  | { status: 'ready'; file: string; backend: string }

export type ProgressCallback = (p: LoadProgress) => void

/** Reports a file that was read in one piece (a path or bytes): initiate → progress 100 → done. */
export function reportWhole(onProgress: ProgressCallback | undefined, file: string, bytes: number): void {
  if (!onProgress) return
  onProgress({ status: 'initiate', file })
  onProgress({ status: 'progress', file, loaded: bytes, total: bytes, progress: 100 })
  onProgress({ status: 'done', file, loaded: bytes })
}

/** Fetches `url` with progress events; HTTP errors and network failures are FILE_NOT_FOUND naming the URL. */
export async function fetchWithProgress(url: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  onProgress?.({ status: 'initiate', file: url })
  let res: Response
  try {
    res = await fetch(url)
  } catch (e) {
    throw new LatentypeError('FILE_NOT_FOUND', `could not fetch model ${url}: ${(e as Error).message} — check the URL and that the page may load it (CORS)`, { cause: e })
  }
  if (!res.ok) throw new LatentypeError('FILE_NOT_FOUND', `could not fetch model ${url}: HTTP ${res.status} — check the URL`)
  const header = Number(res.headers.get('content-length'))
  // A compressed response's length is the compressed size: report percentages only when it cannot be exceeded.
  const total = Number.isFinite(header) && header > 0 && !res.headers.get('content-encoding') ? header : undefined
  let bytes: Uint8Array
  if (!res.body || !onProgress) {
    bytes = new Uint8Array(await res.arrayBuffer())
  } else {
    const reader = res.body.getReader()
    const chunks: Uint8Array[] = []
    let loaded = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      loaded += value.length
      onProgress({ status: 'progress', file: url, loaded, ...(total ? { total, progress: Math.min(100, (100 * loaded) / total) } : {}) })
    }
    bytes = new Uint8Array(loaded)
    let off = 0
    for (const c of chunks) {
      bytes.set(c, off)
      off += c.length
    }
  }
  onProgress?.({ status: 'done', file: url, loaded: bytes.length })
  return bytes
}
