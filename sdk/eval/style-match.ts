/**
 * Style from references on held-out sources (test-split fonts or icon sets), the way the plugin's "Use selection's
 * style" gets it: the source's own drawings of a few reference classes go in, every other class it has comes out,
 * compared with the source's real drawings (mask IoU at the model's size). Variants:
 * - 1 reference (the encoder's posterior of the first), k references (product of experts), k references + `fit`;
 * - baseline: the training source nearest to the same k references (mean mask IoU), its drawings of the targets.
 * Style kept: per source, the mean slant (shear of the ink's second moments) and stroke weight (2·area / boundary
 * length) of the targets, real vs produced; "kept" is the regression slope of produced on real across sources
 * (1 = every difference between sources carried over, 0 = none). Italic sources are also reported apart.
 * Reference reconstruction: the references drawn from the style, against themselves.
 */
import { SPLITS, type Dataset } from '../data/types.js'
import type { Generator, Reference, Style } from '../generate/generator.js'
import type { Bitmap } from '../image/bitmap.js'
import { frameDrawing } from '../image/frame.js'
import { maskIou } from './masks.js'

export type StyleVariant = 'one' | 'many' | 'refined' | 'baseline'

export interface VariantScore {
  /** Mean mask IoU of the produced targets against the real ones (all sources, upright, italic). */
  iou: number
  iouUpright: number
  iouItalic: number
  /** Share of sources where this variant beats the baseline (NaN for the baseline itself). */
  winRate: number
  /** Regression slope of produced on real, across sources. */
  slantKept: number
  weightKept: number
  /** Mean slant of the produced targets on italic sources (compare with `realItalicSlant`). */
  italicSlant: number
}

export interface StyleMatchResult {
  references: string[]
  sources: number
  italicSources: number
  targets: number
  variants: Record<StyleVariant, VariantScore>
  realItalicSlant: number
  /** Mean mask IoU of the references drawn from the style: the k-reference posterior and after `fit`. */
  referenceIou: { many: number; refined: number }
  /** Mean wall time of one `fit`, ms. */
  fitMs: number
  steps: number
  /** The first `examples` sources' drawings, for a sheet. */
  examples: StyleExample[]
}

export interface StyleExample {
  source: string
  references: Bitmap[]
  targets: string[]
  real: Bitmap[]
  produced: Record<StyleVariant, Bitmap[]>
}

export interface StyleMatchOptions {
  /** Reference classes in order; "1 reference" uses the first. Classes a source lacks skip that source. */
  references: string[]
  /** `fit` steps and learning rate (default: the SDK's). */
  steps?: number
  lr?: number
  maxSources?: number
  /** Sources need at least this many classes besides the references (default 3). */
  minTargets?: number
  /** Keep the drawings of this many sources in the result (default 0). */
  examples?: number
  /**
   * How the references are framed before encoding: as the dataset framed them (default), or as the plugin frames
   * a selected drawing — `frameDrawing` with the card's framing (`card`), or scaled to fill the box (`fill`).
   */
  referenceFraming?: 'dataset' | 'card' | 'fill'
  log?: (line: string) => void
}

/** Slant and stroke weight of a coverage image (ink = coverage ≥ 0.5). */
export function inkStyle(data: ArrayLike<number>, S: number): { slant: number; weight: number } {
  let n = 0
  let sx = 0
  let sy = 0
  let boundary = 0
  const ink = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < S && y < S && data[y * S + x]! >= 0.5
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    if (!ink(x, y)) continue
    n++
    sx += x
    sy += y
    if (!ink(x - 1, y) || !ink(x + 1, y) || !ink(x, y - 1) || !ink(x, y + 1)) boundary++
  }
  if (n === 0) return { slant: 0, weight: 0 }
  const mx = sx / n
  const my = sy / n
  let cxy = 0
  let cyy = 0
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    if (!ink(x, y)) continue
    // y grows downwards in the image; a right-leaning (italic) stroke has x growing upwards
    cxy += (x - mx) * (my - y)
    cyy += (y - my) ** 2
  }
  return { slant: cyy > 0 ? cxy / cyy : 0, weight: (2 * n) / Math.max(1, boundary) }
}

function slope(real: number[], produced: number[]): number {
  const n = real.length
  const mr = real.reduce((a, b) => a + b, 0) / n
  const mp = produced.reduce((a, b) => a + b, 0) / n
  let c = 0
  let v = 0
  for (let i = 0; i < n; i++) {
    c += (real[i]! - mr) * (produced[i]! - mp)
    v += (real[i]! - mr) ** 2
  }
  return v > 0 ? c / v : NaN
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN)

export async function styleMatch(gen: Generator, ds: Dataset, o: StyleMatchOptions): Promise<StyleMatchResult> {
  const S = ds.size
  const px = S * S
  if (gen.card.imageSize !== S) throw new Error(`the model draws ${gen.card.imageSize}² but the dataset holds ${S}² images`)
  const image = (i: number): Float32Array => Float32Array.from(ds.images.subarray(i * px, (i + 1) * px), (v) => v / 255)
  const bySource = new Map<number, Map<number, number>>()
  for (let i = 0; i < ds.count; i++) {
    let m = bySource.get(ds.sourceIds[i]!)
    if (!m) bySource.set(ds.sourceIds[i]!, (m = new Map()))
    m.set(ds.classIds[i]!, i)
  }
  const test = SPLITS.indexOf('test')
  const refIds = o.references.map((label) => {
    const id = ds.classes.findIndex((c) => c.label === label)
    if (id < 0) throw new Error(`reference class "${label}" is not in the dataset`)
    return id
  })
  const train = [...bySource.entries()].filter(([s]) => ds.sources[s]!.split === 'train')
  const held = [...bySource.entries()].filter(([s, m]) => ds.sources[s]!.split === SPLITS[test] && refIds.every((r) => m.has(r)) && m.size - refIds.length >= (o.minTargets ?? 3)).slice(0, o.maxSources ?? Infinity)
  const variants: StyleVariant[] = ['one', 'many', 'refined', 'baseline']
  const per = Object.fromEntries(variants.map((v) => [v, { iou: [] as number[], italic: [] as boolean[], slant: [] as number[], weight: [] as number[] }])) as Record<StyleVariant, { iou: number[]; italic: boolean[]; slant: number[]; weight: number[] }>
  const real = { slant: [] as number[], weight: [] as number[], italic: [] as boolean[] }
  const refIou = { many: [] as number[], refined: [] as number[] }
  let fitMs = 0
  let targetsTotal = 0
  const examples: StyleExample[] = []
  for (const [s, items] of held) {
    const framing = o.referenceFraming ?? 'dataset'
    const refs: Reference[] = refIds.map((c) => {
      const bitmap = { width: S, height: S, data: image(items.get(c)!) }
      return { class: ds.classes[c]!.label, bitmap: framing === 'dataset' ? bitmap : frameDrawing(bitmap, c, S, framing === 'card' ? gen.card.framing : undefined) }
    })
    // nearest training source by the same references
    let nearest: Map<number, number> | undefined
    let best = -1
    for (const [, t] of train) {
      if (!refIds.every((r) => t.has(r))) continue
      const v = mean(refIds.map((r) => maskIou(image(items.get(r)!), image(t.get(r)!))))
      if (v > best) [best, nearest] = [v, t]
    }
    if (!nearest) continue
    const targets = [...items.keys()].filter((c) => !refIds.includes(c) && nearest!.has(c))
    if (targets.length === 0) continue
    targetsTotal += targets.length
    const labels = targets.map((c) => ds.classes[c]!.label)
    const started = performance.now()
    const fitted = await gen.fit(refs, { ...(o.steps !== undefined ? { steps: o.steps } : {}), ...(o.lr !== undefined ? { lr: o.lr } : {}) })
    fitMs += performance.now() - started
    const many = await gen.encodeMany(refs)
    const produced: Record<StyleVariant, Bitmap[]> = {
      one: (await gen.transfer(refs[0]!, labels)).map((r) => r.bitmap),
      many: (await gen.transfer(many, labels)).map((r) => r.bitmap),
      refined: (await gen.transfer(fitted, labels)).map((r) => r.bitmap),
      baseline: targets.map((c) => ({ width: S, height: S, data: image(nearest!.get(c)!) })),
    }
    const italic = ds.sources[s]!.tags.includes('italic')
    const realImgs = targets.map((c) => image(items.get(c)!))
    if (examples.length < (o.examples ?? 0)) examples.push({ source: ds.sources[s]!.title, references: refs.map((r) => r.bitmap), targets: labels, real: realImgs.map((data) => ({ width: S, height: S, data })), produced })
    const realStyle = realImgs.map((d) => inkStyle(d, S))
    real.slant.push(mean(realStyle.map((r) => r.slant)))
    real.weight.push(mean(realStyle.map((r) => r.weight)))
    real.italic.push(italic)
    for (const v of variants) {
      const st = produced[v].map((b) => inkStyle(b.data, S))
      per[v].iou.push(mean(produced[v].map((b, k) => maskIou(b.data, realImgs[k]!))))
      per[v].slant.push(mean(st.map((x) => x.slant)))
      per[v].weight.push(mean(st.map((x) => x.weight)))
      per[v].italic.push(italic)
    }
    const drawRefs = async (style: Style): Promise<number> => {
      const out = await gen.decode(refs.map((r) => gen.styleLatent(style, r.class)), refs.map((r) => r.class))
      return mean(out.map((b, k) => maskIou(b.data, refs[k]!.bitmap.data)))
    }
    refIou.many.push(await drawRefs(many))
    refIou.refined.push(await drawRefs(fitted))
    o.log?.(`${ds.sources[s]!.title}: ${variants.map((v) => `${v} ${per[v].iou.at(-1)!.toFixed(3)}`).join(', ')}`)
  }
  const n = real.slant.length
  const score = (v: StyleVariant): VariantScore => {
    const p = per[v]
    const pick = (want: boolean): number[] => p.iou.filter((_, i) => p.italic[i] === want)
    return {
      iou: mean(p.iou),
      iouUpright: mean(pick(false)),
      iouItalic: mean(pick(true)),
      winRate: v === 'baseline' ? NaN : p.iou.filter((x, i) => x > per.baseline.iou[i]!).length / Math.max(1, n),
      slantKept: slope(real.slant, p.slant),
      weightKept: slope(real.weight, p.weight),
      italicSlant: mean(p.slant.filter((_, i) => p.italic[i])),
    }
  }
  return {
    references: o.references,
    sources: n,
    italicSources: real.italic.filter(Boolean).length,
    targets: targetsTotal,
    variants: { one: score('one'), many: score('many'), refined: score('refined'), baseline: score('baseline') },
    realItalicSlant: mean(real.slant.filter((_, i) => real.italic[i])),
    referenceIou: { many: mean(refIou.many), refined: mean(refIou.refined) },
    fitMs: fitMs / Math.max(1, n),
    steps: o.steps ?? 30,
    examples,
  }
}

/** The result as a markdown table (what models/README.md shows). */
export function styleMatchTable(r: StyleMatchResult, kind: string): string {
  const k = r.references.length
  const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—')
  const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '—')
  const names: Record<StyleVariant, string> = { one: `1 reference (${r.references[0]})`, many: `${k} references (product of experts)`, refined: `${k} references + fit (${r.steps} steps)`, baseline: `nearest training ${kind === 'glyphs' ? 'font' : 'set'} (same ${k} references)` }
  const lines = [
    `| ${kind === 'glyphs' ? 'font' : 'icon set'} style from ${r.references.join(', ')} | IoU | upright | italic | beats baseline | slant kept | weight kept | italic slant (real ${f(r.realItalicSlant, 2)}) |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...(['one', 'many', 'refined', 'baseline'] as const).map((v) => {
      const s = r.variants[v]
      return `| ${names[v]} | ${f(s.iou)} | ${f(s.iouUpright)} | ${f(s.iouItalic)} | ${v === 'baseline' ? '—' : pct(s.winRate)} | ${f(s.slantKept, 2)} | ${f(s.weightKept, 2)} | ${f(s.italicSlant, 2)} |`
    }),
  ]
  lines.push('', `${r.sources} held-out ${kind === 'glyphs' ? 'fonts' : 'sets'} (${r.italicSources} italic), ${r.targets} target drawings; references redrawn from the style: IoU ${f(r.referenceIou.many)} (product of experts) → ${f(r.referenceIou.refined)} (after fit); fit ${r.fitMs.toFixed(0)} ms per ${kind === 'glyphs' ? 'font' : 'set'} on onnxruntime-node.`)
  return lines.join('\n')
}
