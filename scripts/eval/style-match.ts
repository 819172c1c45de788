/**
 * npm run eval -- --model <model.onnx> --data <dataset.ltds> --style-match [--refs A,n,o,g] [--steps 30] [--lr 0.1] [--max-sources 40] [--sheet out.png] [--frame dataset|card|fill]
 *
 * Style from references on the dataset's held-out sources (sdk/eval/style-match.ts): 1 reference, k references,
 * k references + fit, and the nearest training source; prints a JSON line and the markdown table for models/README.md.
 */
import { readFileSync } from 'node:fs'
import { Generator } from '../../sdk/index.js'
import { readDataset } from '../../sdk/data/node.js'
import { styleMatch, styleMatchTable, type StyleExample } from '../../sdk/eval/style-match.js'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { encodeSheetPng } from '../../sdk/image/sheet.js'
import { writeFileAtomic } from '../../sdk/node/atomic.js'

export async function styleMatchEval(a: { model: string; data: string; refs?: string; steps?: string; lr?: string; 'max-sources'?: string; sheet?: string; frame?: string }): Promise<void> {
  const gen = await Generator.load(new Uint8Array(readFileSync(a.model)), { threads: 1 })
  const ds = await readDataset(a.data)
  const references = (a.refs ?? (ds.kind === 'glyphs' ? 'A,n,o,g' : '')).split(',').filter(Boolean)
  const refs = references.length ? references : defaultIconRefs(ds.classes.map((c) => c.label))
  const r = await styleMatch(gen, ds, {
    references: refs,
    ...(a.steps ? { steps: Number(a.steps) } : {}),
    ...(a.lr ? { lr: Number(a.lr) } : {}),
    ...(a['max-sources'] ? { maxSources: Number(a['max-sources']) } : {}),
    examples: a.sheet ? 3 : 0,
    ...(a.frame ? { referenceFraming: a.frame as 'dataset' | 'card' | 'fill' } : {}),
    log: (l) => console.error(l),
  })
  const { examples, ...numbers } = r
  console.log(JSON.stringify({ model: a.model, data: a.data, ...numbers }))
  if (a.sheet) {
    writeFileAtomic(a.sheet, styleSheet(examples, r.references.length, r.steps))
    console.error(`wrote ${a.sheet}`)
  }
  console.log(`\n${styleMatchTable(r, ds.kind)}\n\ncommand: npm run eval -- --model ${a.model} --data ${a.data} --style-match${a.refs ? ` --refs ${a.refs}` : ''}${a.steps ? ` --steps ${a.steps}` : ''}${a.lr ? ` --lr ${a.lr}` : ''}${a['max-sources'] ? ` --max-sources ${a['max-sources']}` : ''}${a.sheet ? ` --sheet ${a.sheet}` : ''}${a.frame ? ` --frame ${a.frame}` : ''}`)
  await gen.dispose()
}

/** Per source: the references and the real targets, then each variant's targets (at most 20 targets a row). */
function styleSheet(examples: StyleExample[], k: number, steps: number): Uint8Array {
  const rows: (Bitmap | null)[][] = []
  const labels: string[] = []
  const cols = 20
  for (const e of examples) {
    const pad = (b: Bitmap[]): (Bitmap | null)[] => [...Array<null>(k + 1).fill(null), ...b.slice(0, cols)]
    rows.push([...e.references, null, ...e.real.slice(0, cols)])
    labels.push(e.source.slice(0, 22))
    for (const [v, name] of [['one', '1 reference'], ['many', `${k} references`], ['refined', `${k} refs + fit ${steps}`], ['baseline', 'nearest source']] as const) {
      rows.push(pad(e.produced[v]))
      labels.push(name)
    }
  }
  return encodeSheetPng(rows, { scale: 1, rowLabels: labels, title: `style from references (first ${k} columns) on held-out sources: real, then what each way draws`, fontScale: 1 })
}

/** Three common concepts as icon references: those most icon sets draw. */
function defaultIconRefs(labels: string[]): string[] {
  const wanted = ['home', 'search', 'settings', 'heart', 'star', 'user', 'bell', 'mail']
  return wanted.filter((l) => labels.includes(l)).slice(0, 3)
}
