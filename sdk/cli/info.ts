/** `latentype info <model>`: the model card, as a summary or JSON. */
import { Generator } from '../index.js'
import type { Attribution, ModelCard } from '../model/card.js'

export async function infoCommand(model: string, json: boolean, log: (s: string) => void): Promise<void> {
  const gen = await Generator.load(model)
  try {
    log(json ? JSON.stringify(gen.card, null, 2) : summarize(gen.card))
  } finally {
    await gen.dispose()
  }
}

export function summarize(c: ModelCard): string {
  const lines = [
    `${c.name} — ${c.kind}, ${c.imageSize}×${c.imageSize}, latent ${c.latentSize}, ${c.classes.length} classes`,
    c.description ? c.description : '',
    `classes: ${c.classes.map((k) => (k.synonyms.length ? `${k.label} (${k.synonyms.join(', ')})` : k.label)).join(', ')}`,
    `metrics: ${Object.entries(c.metrics).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`,
    c.directions?.length ? `directions: ${c.directions.map((d) => d.label).join(', ')}` : '',
    c.attribution.length ? `attribution (${c.attribution.length}):\n${c.attribution.map((a) => `  ${attributionLine(a)}`).join('\n')}` : 'attribution: none',
    `created ${c.createdAt} with latentype ${c.sdkVersion}`,
  ]
  return lines.filter(Boolean).join('\n')
}

/** One source per line: name, license, author and URL where known. */
export function attributionLine(a: Attribution): string {
  const name = a.name && a.name !== a.source ? `${a.name} [${a.source}]` : a.source
  return [name, `license ${a.license}`, a.author ? `by ${a.author}` : '', a.url ?? ''].filter(Boolean).join(' · ')
}
