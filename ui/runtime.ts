/**
 * The UI's connection to the ML worker: starts it, opens each model once, and replaces the worker with a
 * wasm-only one after a WebGPU loss (a run in flight may be stuck inside ORT). UI state is not kept here.
 */
import { modelPayload, startWorker, type StartedWorker, type WorkerClient } from './client.js'
import type { LoadedModel } from './worker/api.js'
import type { BackendInfo } from './worker/backend.js'

export interface RuntimeEvents {
  /** A model starts opening (its key), or nothing is opening any more (null). */
  loading(key: string | null): void
  loaded(key: string, model: LoadedModel): void
  backendChanged(key: string, backend: BackendInfo): void
  /** The worker was replaced; anything waiting on the old one is abandoned. */
  restarted(): void
}

export class Runtime {
  private worker: Promise<StartedWorker> | null = null
  private readonly loads = new Map<string, Promise<LoadedModel>>()
  private readonly opened = new Set<string>()
  private readonly fileBytes = new Map<string, Uint8Array>()
  private restarting = false

  constructor(private readonly events: RuntimeEvents) {}

  async client(): Promise<WorkerClient> {
    return (await (this.worker ??= this.launch())).client
  }

  /** Opens a model once (concurrent callers share the promise); a failed load can be retried. */
  ensureModel(key: string, bytes?: Uint8Array): Promise<LoadedModel> {
    let p = this.loads.get(key)
    if (!p) {
      p = (async () => {
        this.events.loading(key.replace(/^file:/, ''))
        try {
          const m = await (await this.client()).load(key, bytes ?? this.fileBytes.get(key) ?? modelPayload(key))
          if (bytes) this.fileBytes.set(key, bytes)
          this.opened.add(key)
          this.events.loaded(key, m)
          return m
        } finally {
          this.events.loading(null)
        }
      })()
      this.loads.set(key, p)
      p.catch(() => this.loads.delete(key))
    }
    return p
  }

  private launch(pref?: 'wasm'): Promise<StartedWorker> {
    const onChange = (key: string, backend: BackendInfo): void => {
      this.events.backendChanged(key, backend)
      if (backend.lost) void this.restartOnWasm(backend.reason)
    }
    return startWorker(onChange, pref).then((w) => {
      // Debug hook for tests and bug reports: simulate a GPU device loss.
      ;(globalThis as { __latentypeDebug?: unknown }).__latentypeDebug = { loseDevice: () => w.client.loseDevice() }
      return w
    })
  }

  private async restartOnWasm(reason: string): Promise<void> {
    if (this.restarting) return
    this.restarting = true
    const old = this.worker
    this.worker = this.launch('wasm')
    void old?.then((w) => w.terminate())
    this.loads.clear()
    this.events.restarted()
    try {
      for (const key of [...this.opened]) {
        const m = await this.ensureModel(key)
        this.events.backendChanged(key, { ...m.backend, reason: `${reason}; restarted the runtime on wasm` })
      }
    } finally {
      this.restarting = false
    }
  }
}
