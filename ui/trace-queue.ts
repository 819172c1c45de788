/**
 * Traced vectors, cached per decoded latent (model, class, latent bits) and made off the hot path: requests
 * queue up, the newest priority request first, traced in small batches by the trace worker; the sliders' decode
 * path never waits for them. A bounded LRU keeps the last {@link TraceQueue.max} traces.
 */
import type { Bitmap } from '../sdk/image/bitmap.js'

export interface TraceJob {
  key: string
  bitmap: Bitmap
}

/** The `d` attribute of an SVG that traceToSvg wrote ('' for a blank image). */
export const pathOf = (svg: string): string => /<path d="([^"]*)"/.exec(svg)?.[1] ?? ''

export class TraceQueue {
  private readonly cache = new Map<string, string>()
  private queue: TraceJob[] = []
  private running = false
  private inflight = new Set<string>()
  private waiters = new Map<string, ((svg: string) => void)[]>()

  constructor(
    private readonly trace: (bitmaps: Bitmap[]) => Promise<string[]>,
    /** Called after each batch lands in the cache (the UI re-renders what became a vector). */
    private readonly traced: () => void,
    private readonly failed: (e: unknown) => void = () => undefined,
    readonly max = 1024,
    private readonly batch = 8,
  ) {}

  /** The cached SVG of this decoded latent, if traced. */
  get(key: string): string | undefined {
    return this.cache.get(key)
  }

  /** Queues traces of what is not cached yet; `priority` jobs go first (the big preview). */
  request(jobs: readonly TraceJob[], priority = false): void {
    const todo = jobs.filter((j) => !this.cache.has(j.key) && !this.inflight.has(j.key) && !this.queue.some((q) => q.key === j.key))
    if (todo.length === 0) return
    this.queue = priority ? [...todo, ...this.queue] : [...this.queue, ...todo]
    if (!this.running) void this.pump()
  }

  /** Drops queued (not running) jobs, e.g. of a grid that was replaced. */
  clear(): void {
    this.queue = this.queue.filter((j) => this.waiters.has(j.key))
  }

  /** The SVGs of these jobs, in order: cached ones at once, the others traced first in line ('' if tracing failed). */
  ensure(jobs: readonly TraceJob[]): Promise<string[]> {
    const missing = jobs.filter((j) => !this.cache.has(j.key) && !this.inflight.has(j.key))
    const results = jobs.map((j) => {
      const hit = this.cache.get(j.key)
      return hit !== undefined ? hit : new Promise<string>((r) => this.waiters.set(j.key, [...(this.waiters.get(j.key) ?? []), r]))
    })
    if (missing.length > 0) {
      // Moves them to the front even when already queued.
      this.queue = [...missing, ...this.queue.filter((q) => !missing.some((m) => m.key === q.key))]
      if (!this.running) void this.pump()
    }
    return Promise.all(results)
  }

  private async pump(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue.splice(0, this.batch)
        this.inflight = new Set(jobs.map((j) => j.key))
        let svgs: string[]
        try {
          svgs = await this.trace(jobs.map((j) => j.bitmap))
        } catch (e) {
          for (const j of jobs) this.settle(j.key, null)
          this.failed(e)
          continue
        } finally {
          this.inflight = new Set()
        }
        jobs.forEach((j, i) => this.put(j.key, svgs[i]!))
        this.traced()
      }
    } finally {
      this.running = false
    }
  }

  private put(key: string, svg: string): void {
    this.cache.delete(key)
    this.cache.set(key, svg)
    while (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!)
    this.settle(key, svg)
  }

  private settle(key: string, svg: string | null): void {
    const ws = this.waiters.get(key)
    if (!ws) return
    this.waiters.delete(key)
    // A failed trace resolves waiters with '' (treated as blank), so insert reports it instead of hanging.
    for (const w of ws) w(svg ?? '')
  }
}
