/**
 * Reconstruction fidelity against the TRUE vector outline: a held-out image is encoded, the posterior
 * mean decoded, the decode traced with the shipped tracer, and the traced outline filled at the outline's
 * resolution (256² for 64² images) and compared with the source's own vector outline rendered there (the font's
 * glyph path, the icon's SVG; scripts/eval/true-outline.ts renders them with the dataset build's framing).
 * Also the topology error rate: a reconstruction whose traced parts or holes differ in number from the true
 * outline's (a broken stroke adds a part, a closed counter loses a hole). The real 64² raster, traced the same
 * way, gives the tracer's own ceiling.
 */
import type { Bitmap } from '../image/bitmap.js'
import { isoContours } from '../image/trace-contours.js'
import { binaryIou, fillMask } from './path-raster.js'
import { tracedShape } from './vectors.js'

/** The true outline of one item: coverage at `outlineSize`², framed exactly as the item's S² raster. */
export type OutlineOf = (item: number) => Bitmap | null

export interface TopologyCounts {
  /** More traced parts than the outline has (broken strokes, specks). */
  extraParts: number
  /** Fewer parts (strokes merged, a dot lost). */
  missingParts: number
  /** Fewer holes (a counter filled in). */
  missingHoles: number
  /** More holes (pinholes, a stroke split open). */
  extraHoles: number
}

export interface FidelityScore {
  count: number
  /** Mean IoU at the outline's resolution. */
  iou: number
  /** Share of items with any topology difference. */
  topologyError: number
  /** Shares of items with each kind of difference. */
  kinds: TopologyCounts
}

export interface FidelityResult extends FidelityScore {
  outlineSize: number
  /** The same measures by group (glyphs: `upright`, `italic`). */
  groups: Record<string, FidelityScore>
  /** The real S² raster traced and scored the same way: what a perfect reconstruction would reach. */
  tracer: FidelityScore
  /** Per scored item: its IoU (NaN where no outline), in input order. */
  perItem: Float64Array
  /** The items whose reconstruction has a topology error, in input order: index into `items` and what differs. */
  failures: { index: number; kinds: TopologyCounts; parts: [number, number]; holes: [number, number] }[]
}

/** Parts and holes of a coverage bitmap's iso-contours at 0.5, ignoring contours under `minArea` px². */
export function outlineTopology(outline: Bitmap, minArea: number): { parts: number; holes: number; mask: Uint8Array } {
  let parts = 0
  let holes = 0
  for (const c of isoContours(outline, 0.5)) {
    if (Math.abs(c.area) < minArea) continue
    if (c.area < 0) parts++ // outer boundaries run counter-clockwise on screen (see vectors.ts)
    else holes++
  }
  return { parts, holes, mask: Uint8Array.from(outline.data, (v) => (v >= 0.5 ? 1 : 0)) }
}

interface One { iou: number; kinds: TopologyCounts; parts: [number, number]; holes: [number, number] }

function score(image: Float32Array, S: number, truth: { parts: number; holes: number; mask: Uint8Array }, O: number): One {
  const shape = tracedShape({ width: S, height: S, data: image })
  const iou = binaryIou(fillMask(shape.contours, O, O / S), truth.mask)
  return {
    iou,
    parts: [shape.parts, truth.parts],
    holes: [shape.holes, truth.holes],
    kinds: {
      extraParts: shape.parts > truth.parts ? 1 : 0,
      missingParts: shape.parts < truth.parts ? 1 : 0,
      missingHoles: shape.holes < truth.holes ? 1 : 0,
      extraHoles: shape.holes > truth.holes ? 1 : 0,
    },
  }
}

function summarise(ones: One[]): FidelityScore {
  const n = Math.max(1, ones.length)
  const share = (k: keyof TopologyCounts): number => ones.filter((o) => o.kinds[k]).length / n
  return {
    count: ones.length,
    iou: ones.reduce((a, o) => a + o.iou, 0) / n,
    topologyError: ones.filter((o) => Object.values(o.kinds).some((v) => v)).length / n,
    kinds: { extraParts: share('extraParts'), missingParts: share('missingParts'), missingHoles: share('missingHoles'), extraHoles: share('extraHoles') },
  }
}

/**
 * Scores `n` reconstructions (n·S² coverage floats) of `items` against their true outlines, and the real rasters
 * (n·S² uint8) the same way. `groupOf` names each item's group (e.g. upright / italic). Items whose outline is
 * null are skipped.
 */
export function reconstructionFidelity(o: { items: readonly number[]; recon: Float32Array; real: Uint8Array; S: number; outlineOf: OutlineOf; groupOf?: (item: number) => string }): FidelityResult {
  const { items, recon, real, S } = o
  const px = S * S
  const model: One[] = []
  const tracer: One[] = []
  const grouped = new Map<string, One[]>()
  const perItem = new Float64Array(items.length).fill(NaN)
  const failures: FidelityResult['failures'] = []
  let O = 0
  items.forEach((item, i) => {
    const outline = o.outlineOf(item)
    if (!outline) return
    O = outline.width
    const truth = outlineTopology(outline, 2 * (O / S) ** 2)
    const m = score(recon.subarray(i * px, (i + 1) * px), S, truth, O)
    model.push(m)
    perItem[i] = m.iou
    if (Object.values(m.kinds).some((v) => v)) failures.push({ index: i, kinds: m.kinds, parts: m.parts, holes: m.holes })
    tracer.push(score(Float32Array.from(real.subarray(i * px, (i + 1) * px), (v) => v / 255), S, truth, O))
    const g = o.groupOf?.(item)
    if (g !== undefined) (grouped.get(g) ?? grouped.set(g, []).get(g)!).push(m)
  })
  return {
    ...summarise(model),
    outlineSize: O,
    groups: Object.fromEntries([...grouped.entries()].sort().map(([g, ones]) => [g, summarise(ones)])),
    tracer: summarise(tracer),
    perItem,
    failures,
  }
}
