/**
 * onnxruntime-web backend: wasm, WebGPU, or `'auto'` (WebGPU when the page has a working adapter, else wasm).
 *
 * Which WebAssembly file: the build of onnxruntime-web you import decides it, and the wasm must come from the same
 * onnxruntime-web version.
 *
 * | import (browser bundle)            | wasm file                                |
 * | ---------------------------------- | ---------------------------------------- |
 * | `onnxruntime-web` (the default)    | `ort-wasm-simd-threaded.jsep.wasm`       |
 * | `onnxruntime-web/wasm`             | `ort-wasm-simd-threaded.wasm`            |
 * | `onnxruntime-web/webgpu`           | `ort-wasm-simd-threaded.asyncify.wasm`   |
 *
 * onnxruntime-web fetches it from beside the bundle (`import.meta.url`) unless told otherwise: `wasmPaths`
 * (`{ wasm: url }` for the file itself, or a folder that also holds the matching `.mjs`) or `wasmBinary` (the bytes,
 * for pages that cannot fetch, such as Figma's null-origin plugin iframe). A missing or wrong file fails with BAD_WASM, naming the file given and the
 * one each build needs.
 */
import * as ort from 'onnxruntime-web'
import { LatentypeError } from '../errors.js'
import { firstLine, ortSession, type Backend, type OrtModule, type OrtSessionLike, type Session } from './session.js'

export type ExecutionProvider = 'webgpu' | 'wasm'

export interface WebBackendOptions {
  /**
   * `'auto'`: WebGPU when `navigator.gpu` gives an adapter and the model opens on it, else wasm. A list: those
   * providers in order of preference (onnxruntime decides). Default `['wasm']` — the shipped decoders are small
   * enough that wasm is usually faster than WebGPU's per-call overhead.
   */
  executionProviders?: 'auto' | ExecutionProvider[]
  /**
   * Where onnxruntime-web fetches its wasm from: `{ wasm: url }` for the file itself, or a folder URL ending in "/"
   * — a folder makes onnxruntime-web load its `.mjs` glue from there as well, so both files must be served.
   */
  wasmPaths?: string | { wasm?: string; mjs?: string }
  /** The wasm as bytes (see the table above for which file); takes precedence over `wasmPaths`. */
  wasmBinary?: ArrayBuffer | Uint8Array
  /** wasm threads; 1 unless the page is cross-origin isolated. */
  numThreads?: number
  /** Another onnxruntime-web build (e.g. `await import('onnxruntime-web/wasm')`); defaults to `onnxruntime-web`. */
  ort?: unknown
}

/** An onnxruntime-web WebAssembly build, told apart by the execution providers compiled into it. */
export type OrtWasmBuild = 'wasm' | 'jsep' | 'webgpu'

/** The file name of each build's wasm in `onnxruntime-web/dist/`. */
export const ORT_WASM_FILES: Readonly<Record<OrtWasmBuild, string>> = {
  wasm: 'ort-wasm-simd-threaded.wasm',
  jsep: 'ort-wasm-simd-threaded.jsep.wasm',
  webgpu: 'ort-wasm-simd-threaded.asyncify.wasm',
}

const IMPORT_OF: Readonly<Record<OrtWasmBuild, string>> = { wasm: 'onnxruntime-web/wasm', jsep: 'onnxruntime-web', webgpu: 'onnxruntime-web/webgpu' }

const isNode = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node

/**
 * The wasm build the default `onnxruntime-web` import loads here: the JSEP build (WebGPU + wasm) in browsers and
 * workers; in Node, onnxruntime-web's `node` export, which runs the plain wasm build.
 */
export function defaultWasmBuild(): OrtWasmBuild {
  return isNode ? 'wasm' : 'jsep'
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const JSEP_MARK = ascii('onnxruntime::js::')
const WEBGPU_MARK = ascii('onnxruntime::webgpu::')

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!
  for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let k = 1
    while (k < needle.length && hay[i + k] === needle[k]) k++
    if (k === needle.length) return true
  }
  return false
}

/**
 * Which onnxruntime-web build a wasm file belongs to: `null` when the bytes are not WebAssembly, `'unknown'` when
 * they are but not recognisably an onnxruntime build.
 */
export function ortWasmBuildOf(bytes: ArrayBuffer | Uint8Array): OrtWasmBuild | 'unknown' | null {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) return null
  if (contains(b, JSEP_MARK)) return 'jsep'
  if (contains(b, WEBGPU_MARK)) return 'webgpu'
  return b.length > 1_000_000 ? 'wasm' : 'unknown'
}

/** Refuses bytes that are not WebAssembly at all (an HTML error page or JSON fetched from a wrong URL); returns their build. */
function checkWasmBinary(bytes: ArrayBuffer | Uint8Array): OrtWasmBuild | 'unknown' {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  const build = ortWasmBuildOf(b)
  if (build === null) {
    const head = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ')
    throw new LatentypeError(
      'BAD_WASM',
      `wasmBinary is not a WebAssembly file (${b.length} bytes${head ? `, starting ${head}` : ''}) — pass the bytes of ${ORT_WASM_FILES[defaultWasmBuild()]} (for the default onnxruntime-web import; see ORT_WASM_FILES); an HTML or JSON body usually means the URL was wrong`,
    )
  }
  return build
}

interface GpuLike {
  requestAdapter(): Promise<unknown>
}

/** Why WebGPU cannot be used in this page or worker, or null when an adapter is available. */
export async function webGpuUnavailable(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu
  if (!gpu) return 'navigator.gpu is missing (no WebGPU in this browser, page or worker)'
  try {
    return (await gpu.requestAdapter()) ? null : 'WebGPU is exposed but no GPU adapter is available'
  } catch (e) {
    return `the WebGPU adapter request failed (${firstLine(e)})`
  }
}

const whichFile = (): string =>
  `the default onnxruntime-web import needs ${ORT_WASM_FILES[defaultWasmBuild()]}${isNode ? ' in Node' : ''}, onnxruntime-web/wasm needs ${ORT_WASM_FILES.wasm}, onnxruntime-web/webgpu needs ${ORT_WASM_FILES.webgpu}, all from the same onnxruntime-web version`

/** onnxruntime-web could not start: the wasm was not found, or it belongs to another build than the bundled glue code. */
function runtimeStartFailure(e: unknown, o: WebBackendOptions): LatentypeError {
  let given: string
  if (o.wasmBinary) {
    const build = ortWasmBuildOf(o.wasmBinary)
    given = build === 'unknown' || build === null ? 'the wasmBinary passed' : `the wasmBinary passed (${ORT_WASM_FILES[build]}, the wasm of ${IMPORT_OF[build]})`
  } else given = o.wasmPaths !== undefined ? `wasmPaths ${JSON.stringify(o.wasmPaths)}` : 'beside the bundle (onnxruntime-web looks next to the script, via import.meta.url)'
  const msg = firstLine(e)
  if (typeof o.wasmPaths === 'string' && /\.mjs\b/.test(msg)) {
    return new LatentypeError(
      'BAD_WASM',
      `onnxruntime-web could not load its JavaScript glue from ${given}: ${msg} — a folder prefix makes onnxruntime-web load both its .mjs and its .wasm from that folder: copy the matching .mjs there too (${ORT_WASM_FILES[defaultWasmBuild()].replace(/\.wasm$/, '.mjs')} for the default import), or pass the wasm file alone as wasmPaths: { wasm: '<url of the .wasm>' } (README, "Browsers")`,
      { cause: e },
    )
  }
  return new LatentypeError(
    'BAD_WASM',
    `onnxruntime-web could not start its WebAssembly runtime from ${given}: ${msg} — the wasm file must match the onnxruntime-web build in your bundle: ${whichFile()}. Serve it beside the bundle, point wasmPaths at its folder, or pass its bytes as wasmBinary (README, "Browsers")`,
    { cause: e },
  )
}

/** onnxruntime-common reports a backend that failed to initialise as "no available backend found. ERR: [wasm] …". */
const isStartFailure = (e: unknown): boolean => /no available backend found/i.test(e instanceof Error ? e.message : String(e))

/** A {@link webBackend}: a {@link Backend} that also says why `'auto'` chose wasm. */
export interface WebBackend extends Backend {
  /**
   * With `executionProviders: 'auto'`, once a session is open: why it runs on wasm rather than WebGPU (the wasm
   * given has no WebGPU, no adapter, or WebGPU could not open the model); `undefined` while sessions open on WebGPU,
   * and for an explicit provider list.
   * @example
   * ```ts
   * const backend = webBackend({ executionProviders: 'auto' })
   * const gen = await Generator.load(bytes, { backend })
   * if (gen.backend.endsWith('/wasm')) console.log(`on wasm: ${backend.wasmReason}`)
   * ```
   */
  readonly wasmReason: string | undefined
}

export function webBackend(o: WebBackendOptions = {}): WebBackend {
  const mod = (o.ort ?? ort) as typeof ort
  let wasmOnlyBuild: string | undefined
  if (o.wasmBinary) {
    if (checkWasmBinary(o.wasmBinary) === 'wasm') wasmOnlyBuild = `the wasm given is the ${IMPORT_OF.wasm} build (${ORT_WASM_FILES.wasm}), which has no WebGPU`
    mod.env.wasm.wasmBinary = o.wasmBinary
  }
  if (o.wasmPaths !== undefined) mod.env.wasm.wasmPaths = o.wasmPaths
  mod.env.wasm.numThreads = o.numThreads ?? 1
  const ortModule = mod as unknown as OrtModule
  const pref = o.executionProviders ?? ['wasm']

  const open = async (model: Uint8Array, eps: ExecutionProvider[]): Promise<OrtSessionLike> => {
    try {
      return await ortModule.InferenceSession.create(model, { graphOptimizationLevel: 'all', executionProviders: eps } as never)
    } catch (e) {
      if (isStartFailure(e) && !eps.includes('webgpu')) throw runtimeStartFailure(e, o)
      throw new LatentypeError('BAD_MODEL', `onnxruntime-web/${eps[0]} could not open the model: ${firstLine(e)} — the file is damaged or not a latentype model; re-download or re-export it`, { cause: e })
    }
  }

  // 'auto' asks for a WebGPU adapter once per backend (none with a wasm-only build); a model WebGPU cannot open
  // falls back to wasm. `unavailable` holds the reason for wasm, null while WebGPU is usable.
  let unavailable: Promise<string | null> | undefined
  let wasmReason: string | undefined
  const name = pref === 'auto' ? 'onnxruntime-web/auto' : `onnxruntime-web/${pref[0] ?? 'wasm'}`
  return {
    name,
    get wasmReason() {
      return wasmReason
    },
    async createSession(model: Uint8Array): Promise<Session> {
      if (pref !== 'auto') return ortSession(ortModule, await open(model, pref), name)
      unavailable ??= wasmOnlyBuild ? Promise.resolve(wasmOnlyBuild) : webGpuUnavailable()
      let why = await unavailable
      if (why === null) {
        try {
          return ortSession(ortModule, await open(model, ['webgpu']), 'onnxruntime-web/webgpu')
        } catch (e) {
          why = `WebGPU could not open the model (${firstLine((e as { cause?: unknown }).cause ?? e)})`
          unavailable = Promise.resolve(why)
        }
      }
      const session = ortSession(ortModule, await open(model, ['wasm']), 'onnxruntime-web/wasm')
      wasmReason = why
      return session
    },
  }
}
