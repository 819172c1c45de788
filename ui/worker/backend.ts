/**
 * Execution-provider choice for one model: WebGPU when the page exposes it, an adapter exists and a session
 * opens; then both EPs are timed and the faster kept (tiny decoders are often faster on wasm). Every outcome
 * carries a plain-language reason the UI shows.
 */
import * as ort from 'onnxruntime-web'
import { Generator } from '../../sdk/web.js'

export type Ep = 'webgpu' | 'wasm'
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

interface GpuLike {
  requestAdapter(): Promise<unknown>
}

async function timeDecode(gen: Generator): Promise<number> {
  const cls = gen.classes[0]!.id
  const z = gen.sample({ class: cls, n: TIMING_BATCH, seed: 1 })
  await gen.decode(z, cls)
  const runs = 3
  const t0 = performance.now()
  for (let i = 0; i < runs; i++) await gen.decode(z, cls)
  return (performance.now() - t0) / runs
}

/** Which ORT build the plugin bundled (scripts/build-plugin.ts --runtime); `all` outside the plugin build. */
declare const __LATENTYPE_RUNTIME__: string | undefined
const RUNTIME = typeof __LATENTYPE_RUNTIME__ === 'string' ? __LATENTYPE_RUNTIME__ : 'all'

/** Why WebGPU cannot be used here, or null when it can be tried. */
async function webGpuUnavailable(): Promise<string | null> {
  if (RUNTIME === 'wasm') return 'this build ships the wasm-only runtime (smaller, faster to start; Figma exposes no WebGPU), so the model runs on wasm'
  const gpu = (self.navigator as Navigator & { gpu?: GpuLike }).gpu
  if (!gpu) return 'WebGPU is not exposed here (navigator.gpu is missing — the usual case inside Figma), so the model runs on wasm'
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) return 'WebGPU is exposed but no GPU adapter is available, so the model runs on wasm'
  } catch (e) {
    return `WebGPU adapter request failed (${(e as Error).message}), so the model runs on wasm`
  }
  return null
}

export async function openModel(bytes: Uint8Array, wasmBinary: Uint8Array, pref: EpPreference): Promise<OpenedModel> {
  const load = (ep: Ep): Promise<Generator> => Generator.load(bytes, { wasmBinary, executionProviders: [ep], numThreads: 1 })
  const wasmOnly = async (reason: string): Promise<OpenedModel> => {
    const wasm = await load('wasm')
    return { active: wasm, wasm, webgpu: null, info: { ep: 'wasm', reason, timings: {} } }
  }
  if (pref === 'wasm') return wasmOnly('WebGPU is switched off in settings')
  const why = await webGpuUnavailable()
  if (why) return wasmOnly(why)
  let webgpu: Generator
  try {
    webgpu = await load('webgpu')
  } catch (e) {
    return wasmOnly(`WebGPU could not open the model (${(e as Error).message.slice(0, 160)}), so it runs on wasm`)
  }
  const wasm = await load('wasm')
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
