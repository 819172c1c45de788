/**
 * Starts the ML worker from the script embedded in ui.html (a classic blob: worker: Figma's null-origin iframe
 * cannot start module workers or fetch relative files) and lists the embedded models.
 */
import { proxy, wrap, type Remote } from 'comlink'
import type { BackendInfo, EpPreference } from './worker/backend.js'
import type { LatentypeWorker } from './worker/api.js'
import type { Tracer } from './worker/trace-entry.js'
import { unpack } from './worker/unpack.js'

export type WorkerClient = Remote<LatentypeWorker>

export interface EmbeddedModel {
  key: string
  name: string
  kind: string
}

const payload = (id: string): string => {
  const el = document.getElementById(id)
  if (!el?.textContent) throw new Error(`ui.html is missing its "${id}" payload — rebuild with npm run build`)
  return el.textContent
}

export function embeddedModels(): EmbeddedModel[] {
  return [...document.querySelectorAll<HTMLElement>('script.lt-model')].map((el) => ({ key: el.dataset.key!, name: el.dataset.name!, kind: el.dataset.kind! }))
}

export const modelPayload = (key: string): string => payload(`lt-model-${key}`)

/** The EP preference: `window.__LATENTYPE_EP__` ('wasm' | 'webgpu') on a test page, else auto. */
function epPreference(): EpPreference {
  const v = (globalThis as { __LATENTYPE_EP__?: string }).__LATENTYPE_EP__
  return v === 'wasm' || v === 'webgpu' ? v : 'auto'
}

export interface StartedWorker {
  client: WorkerClient
  terminate(): void
}

let workerUrl: Promise<string> | null = null

export async function startWorker(onBackendChange: (key: string, info: BackendInfo) => void, pref: EpPreference = epPreference()): Promise<StartedWorker> {
  workerUrl ??= unpack(payload('lt-worker')).then((js) => URL.createObjectURL(new Blob([js as Uint8Array<ArrayBuffer>], { type: 'text/javascript' })))
  const worker = new Worker(await workerUrl)
  const client = wrap<LatentypeWorker>(worker)
  await client.init(payload('lt-ort-wasm'), pref, proxy(onBackendChange))
  return { client, terminate: () => worker.terminate() }
}

/** Starts the trace worker (no onnxruntime inside: small and quick to start). */
export async function startTraceWorker(): Promise<{ tracer: Remote<Tracer>; terminate(): void }> {
  const js = await unpack(payload('lt-trace-worker'))
  const url = URL.createObjectURL(new Blob([js as Uint8Array<ArrayBuffer>], { type: 'text/javascript' }))
  const worker = new Worker(url)
  return { tracer: wrap<Tracer>(worker), terminate: () => worker.terminate() }
}
