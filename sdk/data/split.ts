/**
 * Deterministic split by source group: whole icon libraries / font families go to val or test, so test metrics
 * measure generalisation to unseen styles. Pure TypeScript.
 */
import { LatentypeError } from '../errors.js'
import type { Split } from './types.js'

/** FNV-1a 32-bit hash of a string (UTF-16 code units), used to order groups reproducibly. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export interface SplitOptions {
  /** Target share of items in val (default 0.1). */
  val?: number
  /** Target share of items in test (default 0.1). */
  test?: number
  /** Changes which groups are held out (default 'latentype'). */
  seed?: string
}

/**
 * Assigns every group to a split. Groups are visited in order of `fnv1a(seed + name)`; each goes to test while
 * test is under its share of items, then to val, then train — skipping a group that would overshoot a held-out
 * split by more than half its target (so one huge library cannot become the whole test set). The same groups
 * and counts always give the same answer, whatever order they are passed in.
 *
 * @param itemsPerGroup items per group name
 * @example
 * ```ts
 * const splits = assignSplits(new Map([['mdi', 900], ['tabler', 700], ['ion', 400]]), { val: 0.1, test: 0.1 })
 * splits.get('tabler') // 'train' | 'val' | 'test'
 * ```
 */
export function assignSplits(itemsPerGroup: ReadonlyMap<string, number>, options: SplitOptions = {}): Map<string, Split> {
  const val = options.val ?? 0.1
  const test = options.test ?? 0.1
  const seed = options.seed ?? 'latentype'
  if (!(val >= 0 && test >= 0 && val + test < 1)) {
    throw new LatentypeError('BAD_ARGUMENT', `split shares val=${val} test=${test} are invalid — use non-negative shares adding up to less than 1`)
  }
  const total = [...itemsPerGroup.values()].reduce((a, b) => a + b, 0)
  const order = [...itemsPerGroup.keys()].sort((a, b) => fnv1a(seed + a) - fnv1a(seed + b) || (a < b ? -1 : 1))
  const target: Record<'val' | 'test', number> = { test: test * total, val: val * total }
  const filled: Record<'val' | 'test', number> = { test: 0, val: 0 }
  const out = new Map<string, Split>()
  for (const group of order) {
    const n = itemsPerGroup.get(group)!
    let chosen: Split = 'train'
    for (const s of ['test', 'val'] as const) {
      if (filled[s] < target[s] && filled[s] + n <= target[s] * 1.5) {
        chosen = s
        filled[s] += n
        break
      }
    }
    out.set(group, chosen)
  }
  return out
}
