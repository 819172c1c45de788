/**
 * The worker's one exposed object (comlink): loads models and runs the SDK Generator. All ML lives here; the
 * UI awaits these methods as if they were local. Bitmaps and latents travel as transferred buffers.
 */
import { transfer } from 'comlink'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { pngToBitmap } from '../../sdk/image/png.js'
import { drawFlaws } from '../../sdk/image/softness.js'
import { traceToSvg } from '../../sdk/image/trace.js'
import type { ModelCard } from '../../sdk/model/card.js'
import type { Generator } from '../../sdk/web.js'
import { openModel, watchDeviceLoss, type BackendInfo, type EpPreference, type GPUDeviceLike, type OpenedModel } from './backend.js'
import { unpack } from './unpack.js'

export interface LoadedModel {
  key: string
  card: ModelCard
  backend: BackendInfo
  /** Where load time went (ms): runtime unpack (first load only), model unpack, sessions + EP choice. */
  timings: { runtime: number; unpack: number; open: number }
}

/** Latents drawn per variant; the crisper is kept ({@link LatentypeWorker.generate}). */
export const DRAWS = 2

export interface GenerateRequest {
  class: string | number
  n: number
  /** Variant i uses seed + i, so every variant is reproducible from its own seed. */
  seed: number
  temperature: number
  /** Latent dimensions held fixed while the others are re-sampled. */
  locked?: { index: number; value: number }[]
}

export interface Batch {
  latents: Float32Array[]
  bitmaps: Bitmap[]
}

/** One drawing to take a style from: a PNG of the user's layer and the class it shows. */
export interface PngReference {
  png: Uint8Array
  class: string | number
}

/** "Match closely": Adam steps on the style latent (sdk/generate/style.ts). */
export interface FitRequest {
  steps: number
  lr?: number
}

/** A fitted style drawn as each target class, with how long the fit took and its loss per step. */
export interface FittedBatch extends Batch {
  ms: number
  losses: number[]
}

/** Resolves after the worker's pending messages (a cancel) have had their turn: one task, with no timer clamping. */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => {
      ch.port1.close()
      resolve()
    }
    ch.port2.postMessage(null)
  })

const buffersOf = (b: Batch): ArrayBuffer[] => [...b.latents.map((z) => z.buffer as ArrayBuffer), ...b.bitmaps.map((x) => x.data.buffer as ArrayBuffer)]
const sendBatch = (b: Batch): Batch => transfer(b, buffersOf(b))

export class LatentypeWorker {
  private wasmBinary: Uint8Array | null = null
  private runtimeMs = 0
  private pref: EpPreference = 'auto'
  private readonly models = new Map<string, OpenedModel>()
  private device: GPUDeviceLike | null = null
  /** Rejects when the WebGPU device is lost: runs in flight at that moment may otherwise never settle. */
  private deviceLost: Promise<never> | null = null
  /** The fit in progress: cancelFit aborts it (an AbortSignal cannot cross comlink, so it lives here). */
  private fitting: AbortController | null = null
  /** Called (through comlink) when the backend changes mid-session, e.g. after a device loss. */
  private onBackendChange: ((key: string, info: BackendInfo) => void) | null = null

  /** Receives the ORT wasm (gzip+base64 from ui.html, or raw bytes) and the EP preference. */
  async init(wasm: string | Uint8Array, pref: EpPreference = 'auto', onBackendChange?: (key: string, info: BackendInfo) => void): Promise<void> {
    const t0 = performance.now()
    this.wasmBinary = typeof wasm === 'string' ? await unpack(wasm) : wasm
    this.runtimeMs = performance.now() - t0
    this.pref = pref
    this.onBackendChange = onBackendChange ?? null
  }

  /** Opens a model (gzip+base64 string from ui.html, or raw .onnx bytes from a file the user picked). */
  async load(key: string, source: string | Uint8Array): Promise<LoadedModel> {
    if (!this.wasmBinary) throw new Error('worker not initialised — call init() first')
    const t0 = performance.now()
    const bytes = typeof source === 'string' ? await unpack(source) : source
    const t1 = performance.now()
    const old = this.models.get(key)
    let opened: OpenedModel
    try {
      opened = await openModel(bytes, this.wasmBinary, this.pref)
    } catch (e) {
      // comlink carries only the message across: keep the SDK's error code in it for the UI's wording.
      const code = (e as { code?: unknown }).code
      throw new Error(`${typeof code === 'string' ? `[${code}] ` : ''}${(e as Error).message}`)
    }
    const timings = { runtime: this.runtimeMs, unpack: t1 - t0, open: performance.now() - t1 }
    this.runtimeMs = 0
    this.models.set(key, opened)
    if (old) void disposeAll(old, opened)
    if (opened.webgpu && !this.device) {
      let reject: (e: Error) => void = () => undefined
      this.deviceLost = new Promise<never>((_, r) => (reject = r))
      this.deviceLost.catch(() => undefined)
      this.device = await watchDeviceLoss((why) => {
        this.fallBackToWasm(`WebGPU device lost (${why})`)
        reject(new Error(`WebGPU device lost (${why})`))
      })
    }
    return { key, card: opened.active.card, backend: opened.info, timings }
  }

  /**
   * Variant i is the cleaner (`drawFlaws`: fewer specks, then lower edge softness) of the first DRAWS latents
   * drawn from seed + i: specked, blurry, ghosted and broken draws — the misses a designer would skip — give way to
   * a clean one; the seed still reproduces it.
   */
  async generate(key: string, r: GenerateRequest): Promise<Batch> {
    const gen = this.model(key).active
    const draws: Float32Array[] = []
    for (let i = 0; i < r.n; i++) {
      for (const z of gen.sample({ class: r.class, n: DRAWS, seed: r.seed + i, temperature: r.temperature })) {
        for (const l of r.locked ?? []) if (l.index >= 0 && l.index < z.length) z[l.index] = l.value
        draws.push(z)
      }
    }
    const decoded = await this.decodeWith(key, (g) => g.decode(draws, r.class))
    const flaws = decoded.map(drawFlaws)
    const latents: Float32Array[] = []
    const bitmaps: Bitmap[] = []
    for (let i = 0; i < r.n; i++) {
      let best = i * DRAWS
      for (let k = best + 1; k < (i + 1) * DRAWS; k++) if (flaws[k]! < flaws[best]!) best = k
      latents.push(draws[best]!)
      bitmaps.push(decoded[best]!)
    }
    return sendBatch({ latents, bitmaps })
  }

  /** Decodes latents (one class, or one per latent). The slider hot path: no tracing. */
  async decode(key: string, latents: Float32Array[], classes: string | number | (string | number)[]): Promise<Bitmap[]> {
    const bitmaps = await this.decodeWith(key, (g) => g.decode(latents, classes))
    return transfer(bitmaps, bitmaps.map((b) => b.data.buffer as ArrayBuffer))
  }

  /** `steps` latents from a to b and their images. */
  async interpolate(key: string, a: Float32Array, b: Float32Array, steps: number, classes: [string | number, string | number]): Promise<Batch> {
    const gen = this.model(key).active
    const latents = gen.interpolate(a, b, steps)
    const cls = latents.map((_, i) => (i < steps / 2 ? classes[0] : classes[1]))
    const bitmaps = await this.decodeWith(key, (g) => g.decode(latents, cls))
    return sendBatch({ latents, bitmaps })
  }

  /**
   * Style from several drawings: each PNG is fitted into the model's frame, their posteriors are combined
   * (product of experts, Generator.encodeMany) and the style is drawn as each of `toClasses`.
   */
  async styleFromPngs(key: string, refs: PngReference[], toClasses: (string | number)[]): Promise<Batch> {
    const gen = this.model(key).active
    const style = await gen.encodeMany(this.references(gen, refs))
    return this.drawStyle(key, gen, style, toClasses)
  }

  /**
   * "Match closely": refines the drawings' style (Generator.fit, `o.steps` Adam steps) and draws it as each of
   * `toClasses`. `onProgress` (a comlink proxy) hears every step; between steps the worker yields, so
   * {@link cancelFit} gets through. Resolves null when cancelled. Starting a fit cancels the one running.
   */
  async fitFromPngs(key: string, refs: PngReference[], toClasses: (string | number)[], o: FitRequest, onProgress?: (p: { step: number; steps: number }) => void): Promise<FittedBatch | null> {
    const gen = this.model(key).active
    const references = this.references(gen, refs)
    this.fitting?.abort()
    const ctl = new AbortController()
    this.fitting = ctl
    const t0 = performance.now()
    let style: Awaited<ReturnType<Generator['fit']>>
    try {
      style = await gen.fit(references, {
        steps: o.steps,
        lr: o.lr,
        signal: ctl.signal,
        onProgress: ({ step, steps }) => {
          void onProgress?.({ step, steps })
          return nextTask()
        },
      })
    } catch (e) {
      if (ctl.signal.aborted && (e as { code?: unknown }).code === 'ABORTED') return null
      throw e
    } finally {
      if (this.fitting === ctl) this.fitting = null
    }
    const ms = performance.now() - t0
    const batch = await this.drawStyle(key, gen, style, toClasses)
    return { ...batch, ms, losses: style.losses }
  }

  /**
   * Opens the refinement graph's session before the first "Match closely" (a one-off cost of about a second), by
   * evaluating a fit of zero steps on a square; models without the graph are left alone (fit then says why).
   */
  async prepareFit(key: string): Promise<void> {
    const gen = this.model(key).active
    const S = gen.card.imageSize
    const data = new Float32Array(S * S)
    for (let y = S >> 2; y < S - (S >> 2); y++) data.fill(1, y * S + (S >> 2), y * S + S - (S >> 2))
    await gen.fit([{ bitmap: { width: S, height: S, data }, class: gen.card.classes[0]!.id }], { steps: 0 }).catch(() => undefined)
  }

  /** Stops the fit in progress (it resolves null); false when none runs. */
  cancelFit(): boolean {
    const running = this.fitting
    running?.abort()
    return running !== null
  }

  private references(gen: Generator, refs: PngReference[]): { bitmap: Bitmap; class: string | number }[] {
    return refs.map((r) => ({ bitmap: gen.frameDrawing(pngToBitmap(r.png), r.class), class: r.class }))
  }

  private async drawStyle(key: string, gen: Generator, style: Parameters<Generator['styleLatent']>[0], toClasses: (string | number)[]): Promise<Batch> {
    // A copy each: styleLatent may hand back the style's own array, and a buffer can be transferred only once.
    const latents = toClasses.map((c) => gen.styleLatent(style, c).slice())
    const bitmaps = await this.decodeWith(key, (g) => g.decode(latents, toClasses))
    return sendBatch({ latents, bitmaps })
  }

  /** Traces bitmaps into SVG documents for insertion (only on insert, never while dragging). */
  trace(bitmaps: Bitmap[], fill = '#000000'): string[] {
    return bitmaps.map((b) => traceToSvg(b, { fill }))
  }

  backend(key: string): BackendInfo {
    return this.model(key).info
  }

  /** Test hook: destroys the WebGPU device as a driver reset would. */
  loseDevice(): boolean {
    if (!this.device) return false
    this.device.destroy()
    return true
  }

  private model(key: string): OpenedModel {
    const m = this.models.get(key)
    if (!m) throw new Error(`model "${key}" is not loaded`)
    return m
  }

  /** Runs on the active generator; a WebGPU failure switches this model to wasm and retries once. */
  private async decodeWith<T>(key: string, run: (g: Generator) => Promise<T>): Promise<T> {
    const m = this.model(key)
    const onGpu = m.info.ep === 'webgpu'
    try {
      return await (onGpu && this.deviceLost ? Promise.race([run(m.active), this.deviceLost]) : run(m.active))
    } catch (e) {
      if (!onGpu || !m.wasm) throw e
      if (m.info.ep === 'webgpu') this.switchToWasm(key, m, `WebGPU failed mid-session (${(e as Error).message.slice(0, 120)})`)
      return run(m.active)
    }
  }

  private fallBackToWasm(why: string): void {
    for (const [key, m] of this.models) if (m.info.ep === 'webgpu' && m.wasm) this.switchToWasm(key, m, why)
    this.device = null
  }

  private switchToWasm(key: string, m: OpenedModel, why: string): void {
    m.active = m.wasm!
    m.info = { ep: 'wasm', reason: `${why} — switched to wasm`, timings: m.info.timings, lost: true }
    this.onBackendChange?.(key, m.info)
  }
}

async function disposeAll(old: OpenedModel, keep: OpenedModel): Promise<void> {
  for (const g of [old.wasm, old.webgpu]) if (g && g !== keep.active) await g.dispose().catch(() => undefined)
}
