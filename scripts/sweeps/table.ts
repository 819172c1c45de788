/**
 * Markdown table of a sweep's evaluations: npx tsx scripts/sweeps/table.ts runs/sweep
 * Reads <dir>/<run>.eval.log (the JSON line `npm run eval` prints last) and <dir>/<run>/config.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2] ?? 'runs/sweep'
const rows: { key: [number, number]; text: string }[] = []
for (const f of readdirSync(dir).filter((n) => n.endsWith('.eval.log')).sort()) {
  const run = f.replace(/\.eval\.log$/, '')
  const line = readFileSync(join(dir, f), 'utf8').split('\n').reverse().find((l) => l.startsWith('{"model"'))
  if (!line) continue
  const m = JSON.parse(line) as Record<string, number> & { latentKl: number[] }
  const cfg = existsSync(join(dir, run, 'config.json')) ? (JSON.parse(readFileSync(join(dir, run, 'config.json'), 'utf8')) as { spec: { latentSize: number }; beta?: number; epochs?: number }) : undefined
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`
  const kl = m.latentKl ?? []
  rows.push({ key: [cfg?.spec.latentSize ?? 0, cfg?.beta ?? 0], text: `| ${run} | ${cfg?.spec.latentSize ?? '?'} | ${cfg?.beta ?? '?'} | ${pct(m.class_consistency!)} | ${m.test_nelbo!.toFixed(1)} (KL ${m.test_kl!.toFixed(1)}) | ${m.reconstruction_iou!.toFixed(3)} | ×${(m.diversity_generated! / m.diversity_real!).toFixed(2)} | ${m.transfer_iou!.toFixed(3)} vs ${m.transfer_baseline_iou!.toFixed(3)} | ${m.active_units}/${kl.length} (min KL ${Math.min(...kl).toFixed(2)}) |` })
}
console.log('| run | latent | β | class consistency | test −ELBO (nats) | recon IoU | diversity gen/real | transfer IoU vs baseline | active units |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])) console.log(r.text)
