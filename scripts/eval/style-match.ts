/**
 * npm run eval -- --model <model.onnx> --data <dataset.ltds> --style-match [--refs A,n,o,g] [--steps 30] [--lr 0.05] [--max-sources 40]
 *
 * Style from references on the dataset's held-out sources (sdk/eval/style-match.ts): 1 reference, k references,
 * k references + fit, and the nearest training source; prints a JSON line and the markdown table for models/README.md.
 */
import { readFileSync } from 'node:fs'
import { Generator } from '../../sdk/index.js'
import { readDataset } from '../../sdk/data/node.js'
import { styleMatch, styleMatchTable } from '../../sdk/eval/style-match.js'

export async function styleMatchEval(a: { model: string; data: string; refs?: string; steps?: string; lr?: string; 'max-sources'?: string }): Promise<void> {
  const gen = await Generator.load(new Uint8Array(readFileSync(a.model)), { threads: 1 })
  const ds = await readDataset(a.data)
  const references = (a.refs ?? (ds.kind === 'glyphs' ? 'A,n,o,g' : '')).split(',').filter(Boolean)
  const refs = references.length ? references : defaultIconRefs(ds.classes.map((c) => c.label))
  const r = await styleMatch(gen, ds, {
    references: refs,
    ...(a.steps ? { steps: Number(a.steps) } : {}),
    ...(a.lr ? { lr: Number(a.lr) } : {}),
    ...(a['max-sources'] ? { maxSources: Number(a['max-sources']) } : {}),
    log: (l) => console.error(l),
  })
  console.log(JSON.stringify({ model: a.model, data: a.data, ...r }))
  console.log(`\n${styleMatchTable(r, ds.kind)}\n\ncommand: npm run eval -- --model ${a.model} --data ${a.data} --style-match${a.refs ? ` --refs ${a.refs}` : ''}${a.steps ? ` --steps ${a.steps}` : ''}${a.lr ? ` --lr ${a.lr}` : ''}${a['max-sources'] ? ` --max-sources ${a['max-sources']}` : ''}`)
  await gen.dispose()
}

/** Three common concepts as icon references: those most icon sets draw. */
function defaultIconRefs(labels: string[]): string[] {
  const wanted = ['home', 'search', 'settings', 'heart', 'star', 'user', 'bell', 'mail']
  return wanted.filter((l) => labels.includes(l)).slice(0, 3)
}
