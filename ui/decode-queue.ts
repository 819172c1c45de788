/**
 * The slider hot path: decode requests where the newest wins. At most one decode is in flight; requests that
 * arrive meanwhile replace each other, so dragging never queues stale work. No tracing here.
 */
import type { Bitmap } from '../sdk/image/bitmap.js'

export interface DecodeJob {
  /** The model the latent belongs to. */
  model: string
  /** The variant's id. */
  id: number
  latent: Float32Array
  cls: number
}

export class LatestDecode {
  private job: DecodeJob | null = null
  private running = false

  constructor(
    private readonly decode: (job: DecodeJob) => Promise<Bitmap>,
    private readonly done: (job: DecodeJob, bitmap: Bitmap) => void,
    private readonly failed: (e: unknown) => void,
  ) {}

  request(job: DecodeJob): void {
    this.job = job
    if (!this.running) void this.pump()
  }

  private async pump(): Promise<void> {
    this.running = true
    try {
      while (this.job) {
        const job = this.job
        this.job = null
        this.done(job, await this.decode(job))
      }
    } catch (e) {
      this.failed(e)
    } finally {
      this.running = false
    }
  }
}
