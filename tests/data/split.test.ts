import { describe, expect, it } from 'vitest'
import { assignSplits } from '../../sdk/data/split.js'

describe('assignSplits', () => {
  const groups = new Map(Array.from({ length: 40 }, (_, i) => [`lib${i}`, 100 + ((i * 37) % 200)] as [string, number]))
  it('is deterministic and independent of input order', () => {
    const a = assignSplits(groups)
    const b = assignSplits(new Map([...groups].reverse()))
    expect([...a].sort()).toEqual([...b].sort())
  })
  it('gives every group exactly one split, near the target shares', () => {
    const s = assignSplits(groups, { val: 0.1, test: 0.1 })
    expect(s.size).toBe(40)
    const total = [...groups.values()].reduce((x, y) => x + y, 0)
    for (const split of ['val', 'test'] as const) {
      const n = [...s].filter(([, v]) => v === split).reduce((x, [g]) => x + groups.get(g)!, 0)
      expect(n / total).toBeGreaterThan(0.05)
      expect(n / total).toBeLessThan(0.16)
    }
  })
})
