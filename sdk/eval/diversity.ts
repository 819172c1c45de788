/**
 * Diversity and novelty of generated images: mean pairwise distance within a class (generated vs real), and the
 * share of generated images that are near-copies (mask IoU ≥ 0.95) of a training image of the same class.
 */
import { nearestIou, packMasks } from './masks.js'

/**
 * Mean over all pairs of the RMS pixel difference √(mean (a−b)²) between `n` images of `px` pixels
 * (coverage floats, or uint8 scaled to 0..1). 0 when fewer than two images.
 */
export function meanPairwiseDistance(images: Float32Array | Uint8Array, n: number, px: number): number {
  if (n < 2) return 0
  const scale = images instanceof Uint8Array ? 1 / 255 : 1
  const v = new Float64Array(n * px)
  for (let i = 0; i < n * px; i++) v[i] = images[i]! * scale
  const norms = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let p = 0; p < px; p++) s += v[i * px + p]! ** 2
    norms[i] = s
  }
  let total = 0
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0
      for (let p = 0; p < px; p++) dot += v[i * px + p]! * v[j * px + p]!
      total += Math.sqrt(Math.max(0, norms[i]! + norms[j]! - 2 * dot) / px)
    }
  }
  return total / ((n * (n - 1)) / 2)
}

export interface NoveltyResult {
  /** Share of generated images with a training image of their class at IoU ≥ `threshold`. */
  nearCopyShare: number
  /** Mean of each generated image's best IoU. */
  meanNearestIou: number
  threshold: number
}

/**
 * Novelty of generated images against training images, comparing each generated image with the training
 * images of its own class.
 */
export function novelty(gen: Float32Array, genClasses: ArrayLike<number>, train: Uint8Array, trainClasses: ArrayLike<number>, px: number, threshold = 0.95): NoveltyResult {
  const g = packMasks(gen, genClasses.length, px)
  const t = packMasks(train, trainClasses.length, px)
  const byClass = new Map<number, number[]>()
  for (let i = 0; i < trainClasses.length; i++) {
    const c = trainClasses[i]!
    const list = byClass.get(c)
    if (list) list.push(i)
    else byClass.set(c, [i])
  }
  const best = nearestIou(g, t, (q) => byClass.get(genClasses[q]!) ?? [])
  let near = 0
  let sum = 0
  for (const b of best) {
    if (b >= threshold) near++
    sum += b
  }
  return { nearCopyShare: near / Math.max(1, best.length), meanNearestIou: sum / Math.max(1, best.length), threshold }
}
