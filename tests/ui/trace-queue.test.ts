import { describe, expect, it } from 'vitest'
import { pathOf, TraceQueue } from '../../ui/trace-queue.js'
import type { Bitmap } from '../../sdk/image/bitmap.js'

const bitmap = (v: number): Bitmap => ({ width: 1, height: 1, data: Float32Array.of(v) })
const tick = () => new Promise((r) => setTimeout(r, 0))

/** A tracer whose batches finish when the test says so. */
function manual() {
  const batches: number[][] = []
  const pending: (() => void)[] = []
  const trace = (bs: Bitmap[]) => {
    batches.push(bs.map((b) => b.data[0]!))
    return new Promise<string[]>((r) => pending.push(() => r(bs.map((b) => `<svg><path d="M ${b.data[0]} 0 Z" fill="#000"/></svg>`))))
  }
  const release = async () => {
    pending.shift()!()
    await tick()
  }
  return { batches, trace, release }
}

describe('TraceQueue (vectors off the hot path, cached per latent)', () => {
  it('traces in batches, caches by key, puts priority jobs first and never traces a key twice', async () => {
    const m = manual()
    let traced = 0
    const q = new TraceQueue(m.trace, () => traced++, undefined, 100, 2)
    q.request([1, 2, 3, 4].map((v) => ({ key: `k${v}`, bitmap: bitmap(v) })))
    expect(m.batches).toEqual([[1, 2]])
    q.request([{ key: 'k9', bitmap: bitmap(9) }], true)
    q.request([{ key: 'k1', bitmap: bitmap(1) }, { key: 'k3', bitmap: bitmap(3) }])
    await m.release()
    expect(q.get('k1')).toMatch(/M 1 0/)
    expect(m.batches).toEqual([[1, 2], [9, 3]])
    await m.release()
    await m.release()
    expect(m.batches).toEqual([[1, 2], [9, 3], [4]])
    expect(traced).toBe(3)
    q.request([{ key: 'k2', bitmap: bitmap(2) }])
    expect(m.batches).toHaveLength(3)
    expect(pathOf(q.get('k9')!)).toBe('M 9 0 Z')
  })

  it('ensure() returns cached traces at once and jumps the queue for the rest', async () => {
    const m = manual()
    const q = new TraceQueue(m.trace, () => undefined, undefined, 100, 1)
    q.request([1, 2, 3].map((v) => ({ key: `k${v}`, bitmap: bitmap(v) })))
    await m.release()
    const got = q.ensure([{ key: 'k1', bitmap: bitmap(1) }, { key: 'k3', bitmap: bitmap(3) }])
    await m.release()
    expect(m.batches).toEqual([[1], [2], [3]])
    await m.release()
    expect((await got).map(pathOf)).toEqual(['M 1 0 Z', 'M 3 0 Z'])
  })

  it('a failed trace resolves its waiters with "" (insert reports it) and the queue goes on', async () => {
    let calls = 0
    const q = new TraceQueue(
      async (bs) => {
        if (calls++ === 0) throw new Error('boom')
        return bs.map(() => '<svg><path d="M 0 0 Z"/></svg>')
      },
      () => undefined,
      () => undefined,
      100,
      1,
    )
    expect(await q.ensure([{ key: 'a', bitmap: bitmap(1) }])).toEqual([''])
    expect(await q.ensure([{ key: 'b', bitmap: bitmap(2) }])).toEqual(['<svg><path d="M 0 0 Z"/></svg>'])
  })

  it('keeps at most max traces (least recently traced dropped first)', async () => {
    const q = new TraceQueue(async (bs) => bs.map((b) => String(b.data[0])), () => undefined, undefined, 2, 8)
    await q.ensure([1, 2, 3].map((v) => ({ key: `k${v}`, bitmap: bitmap(v) })))
    expect([q.get('k1'), q.get('k2'), q.get('k3')]).toEqual([undefined, '2', '3'])
  })
})
