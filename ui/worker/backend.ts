/**
 * Execution providers for one model. Whether WebGPU can run it is the SDK's choice (`executionProviders: 'auto'`
 * in sdk/runtime/web.ts: the wasm build given, the adapter, the model opening on it), with the plugin's runtime
 * constraints: the wasm comes as bytes (`wasmBinary`; Figma's null-origin iframe cannot fetch it) and runs on one
 * thread. When the SDK picks WebGPU, the worker also opens the model on wasm (the fallback after a device loss) and
 * keeps the faster of the two (tiny decoders are often faster on wasm). Every outcome carries a plain-language
 * reason the UI shows.
 */
import * as ort from 'onnxruntime-web'
import { Generator, webBackend, type ExecutionProvider } from '../../sdk/web.js'

export type Ep = ExecutionProvider
export type EpPreference = 'auto' | 'webgpu' | 'wasm'

export interface BackendInfo {
  ep: Ep
  reason: string
  /** ms per decode of {@link TIMING_BATCH} latents, when measured. */
  timings: Partial<Record<Ep, number>>
  /** Set when WebGPU was lost mid-session: the UI restarts the worker on wasm (a run in flight may hang ORT). */
  lost?: boolean
}

export interface OpenedModel {
  active: Generator
  wasm: Generator | null
  webgpu: Generator | null
  info: BackendInfo
}

export const TIMING_BATCH = 16

async function timeDecode(gen: Generator): Promise<number> {
  const cls = gen.classes[0]!.id
  const z = gen.sample({ class: cls, n: TIMING_BATCH, seed: 1 })
  await gen.decode(z, cls)
  const runs = 3
  const t0 = performance.now()
  for (let i = 0; i < runs; i++) await gen.decode(z, cls)
  return (performance.now() - t0) / runs
}

export async function openModel(bytes: Uint8Array, wasmBinary: Uint8Array, pref: EpPreference): Promise<OpenedModel> {
  const options = { wasmBinary, numThreads: 1 }
  const wasmOnly = (wasm: Generator, reason: string): OpenedModel => ({ active: wasm, wasm, webgpu: null, info: { ep: 'wasm', reason, timings: {} } })
  if (pref === 'wasm') return wasmOnly(await Generator.load(bytes, { ...options, executionProviders: ['wasm'] }), 'WebGPU is switched off in settings')
  const auto = webBackend({ ...options, executionProviders: 'auto' })
  const first = await Generator.load(bytes, { backend: auto })
  if (!first.backend.endsWith('/webgpu')) return wasmOnly(first, `${auto.wasmReason ?? 'WebGPU is not available'}, so the model runs on wasm`)
  const webgpu = first
  const wasm = await Generator.load(bytes, { ...options, executionProviders: ['wasm'] })
  const timings = { webgpu: await timeDecode(webgpu), wasm: await timeDecode(wasm) }
  const ep: Ep = pref === 'webgpu' || timings.webgpu <= timings.wasm ? 'webgpu' : 'wasm'
  const t = (ms: number): string => `${ms.toFixed(1)} ms`
  const reason =
    pref === 'webgpu'
      ? `WebGPU requested (${t(timings.webgpu)} vs wasm ${t(timings.wasm)} per ${TIMING_BATCH} images)`
      : `measured ${TIMING_BATCH} images: WebGPU ${t(timings.webgpu)}, wasm ${t(timings.wasm)} → ${ep === 'webgpu' ? 'WebGPU' : 'wasm'} is faster for this model`
  return { active: ep === 'webgpu' ? webgpu : wasm, wasm, webgpu, info: { ep, reason, timings } }
}

/** Calls `onLost` once when ORT's WebGPU device is lost (driver reset, destroy, sleep). */
export async function watchDeviceLoss(onLost: (message: string) => void): Promise<GPUDeviceLike | null> {
  try {
    const device = (await ort.env.webgpu.device) as unknown as GPUDeviceLike
    void device.lost.then((info) => onLost(info.message || info.reason || 'device lost'))
    return device
  } catch {
    return null
  }
}

export interface GPUDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>
  destroy(): void
}
