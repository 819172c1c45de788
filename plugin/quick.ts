/** The quick action (figma.parameters): "latentype → Generate → icons · heart · 8" without opening the UI. */
import type { ParameterInput } from './figma-api.js'
import type { ModelInfo } from './protocol.js'

export const MAX_QUICK_COUNT = 64
const COUNT_SUGGESTIONS = ['1', '4', '8', '16', '32']
const MAX_SUGGESTIONS = 60

export interface QuickRun {
  modelKey: string
  class: string
  count: number
  seed: number
}

const matches = (q: string, ...names: string[]): boolean => names.some((n) => n.toLowerCase().includes(q))

/** Answers one `figma.parameters` input event from the build-time model index. */
export function suggestParameters(models: readonly ModelInfo[], ev: ParameterInput): void {
  const q = ev.query.trim().toLowerCase()
  if (ev.key === 'model') {
    ev.result.setSuggestions(models.filter((m) => matches(q, m.kind, m.name)).map((m) => ({ name: `${m.kind} (${m.name})`, data: m.key })))
  } else if (ev.key === 'class') {
    const model = models.find((m) => m.key === ev.parameters.model) ?? models[0]
    if (!model) return ev.result.setError('no model is bundled with this build')
    const exact = model.classes.filter((c) => c.label === ev.query)
    const rest = model.classes.filter((c) => !exact.includes(c) && matches(q, c.label, ...c.synonyms))
    ev.result.setSuggestions(
      [...exact, ...rest].slice(0, MAX_SUGGESTIONS).map((c) => ({ name: c.synonyms.length ? `${c.label} (${c.synonyms.join(', ')})` : c.label, data: c.label })),
    )
  } else if (ev.key === 'count') {
    if (q && !/^\d+$/.test(q)) return ev.result.setError(`count must be a whole number from 1 to ${MAX_QUICK_COUNT}`)
    const n = Number(q)
    if (q && (n < 1 || n > MAX_QUICK_COUNT)) return ev.result.setError(`count must be from 1 to ${MAX_QUICK_COUNT}`)
    ev.result.setSuggestions(q ? [q, ...COUNT_SUGGESTIONS.filter((s) => s.startsWith(q) && s !== q)] : COUNT_SUGGESTIONS)
  }
}

/** Reads the run event's parameters into a request for the hidden UI, or an error to show. */
export function readQuickRun(models: readonly ModelInfo[], p: { [key: string]: unknown }, random: () => number): QuickRun | { error: string } {
  const model = models.find((m) => m.key === p.model)
  if (!model) return { error: `unknown model ${JSON.stringify(p.model)} — pick one of ${models.map((m) => m.key).join(', ')}` }
  const cls = model.classes.find((c) => c.label === p.class)
  if (!cls) return { error: `unknown ${model.kind} class ${JSON.stringify(p.class)} — pick one from the suggestions` }
  const count = p.count === undefined || p.count === '' ? 8 : Number(p.count)
  if (!Number.isInteger(count) || count < 1 || count > MAX_QUICK_COUNT) return { error: `count must be from 1 to ${MAX_QUICK_COUNT}` }
  return { modelKey: model.key, class: cls.label, count, seed: Math.floor(random() * 1_000_000) }
}
