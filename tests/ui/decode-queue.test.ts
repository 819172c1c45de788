import { describe, expect, it } from 'vitest'
import { LatestDecode, type DecodeJob } from '../../ui/decode-queue.js'

const bitmap = (v: number) => ({ width: 1, height: 1, data: Float32Array.of(v) })

describe('LatestDecode (slider hot path)', () => {
  it('keeps one decode in flight and drops superseded requests', async () => {
    const started: number[] = []
    const finished: number[] = []
    let release: (() => void) | null = null
    const q = new LatestDecode(
      (job: DecodeJob) => {
        started.push(job.latent[0]!)
        return new Promise((r) => (release = () => r(bitmap(job.latent[0]!))))
      },
      (job) => void finished.push(job.latent[0]!),
      (e) => {
        throw e
      },
    )
    for (const v of [1, 2, 3, 4]) q.request({ model: 'm', id: 0, latent: Float32Array.of(v), cls: 0 })
    expect(started).toEqual([1])
    release!()
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual([1, 4])
    release!()
    await new Promise((r) => setTimeout(r, 0))
    expect(finished).toEqual([1, 4])
  })

  it('reports a failure and accepts new work afterwards', async () => {
    const errors: unknown[] = []
    let fail = true
    const done: number[] = []
    const q = new LatestDecode(
      async (job) => {
        if (fail) throw new Error('boom')
        return bitmap(job.latent[0]!)
      },
      (job) => void done.push(job.latent[0]!),
      (e) => void errors.push(e),
    )
    q.request({ model: 'm', id: 0, latent: Float32Array.of(1), cls: 0 })
    await new Promise((r) => setTimeout(r, 0))
    fail = false
    q.request({ model: 'm', id: 0, latent: Float32Array.of(2), cls: 0 })
    await new Promise((r) => setTimeout(r, 0))
    expect(errors).toHaveLength(1)
    expect(done).toEqual([2])
  })
})
