/**
 * Class picker: a search box over labels and synonyms (normalised and ranked, see searchClasses) and the best
 * matches as chips, at most two rows (no scroll area). With no match it says so, and Generate is disabled.
 */
import { useMemo } from 'preact/hooks'
import type { ClassInfo } from '../../sdk/model/card.js'
import { chipsThatFit, matchedSynonym, searchClasses } from '../state.js'
import { Icon } from './controls.js'

export interface ClassPickerProps {
  classes: readonly ClassInfo[]
  /** What the model draws ("icons", "glyphs"), for the placeholder. */
  noun: string
  value: ClassInfo | null
  query: string
  width: number
  onQuery: (q: string) => void
  onPick: (c: ClassInfo) => void
  onSubmit: () => void
}

export function ClassPicker(p: ClassPickerProps) {
  const hits = useMemo(() => searchClasses(p.classes, p.query), [p.classes, p.query])
  // The current class always shows, first when the list would hide it.
  const ordered = useMemo(() => {
    if (!p.value || !hits.includes(p.value)) return hits
    const n = chipsThatFit(hits.map((c) => c.label), p.width)
    return hits.indexOf(p.value) < n ? hits : [p.value, ...hits.filter((c) => c !== p.value)]
  }, [hits, p.value, p.width])
  const labels = ordered.map((c) => chipLabel(c, p.query))
  const shown = chipsThatFit(labels, p.width)
  return (
    <div class="picker">
      <div class="search">
        <Icon name="search" />
        <input
          class="input grow"
          type="search"
          placeholder={`Search ${p.classes.length} ${p.noun}, e.g. ${p.classes.slice(0, 2).map((c) => c.label).join(', ')}`}
          value={p.query}
          aria-label={`Search ${p.noun}`}
          data-testid="class-search"
          onInput={(e) => p.onQuery((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') p.onSubmit()
            if (e.key === 'Escape' && p.query) (e.preventDefault(), p.onQuery(''))
          }}
        />
      </div>
      <div class="classes" role="listbox" aria-label={p.noun}>
        {hits.length === 0 && (
          <div class="no-match" data-testid="no-class">
            No {p.noun.replace(/s$/, '')} matches “{p.query.trim()}”. Try another word, like {p.classes.slice(0, 3).map((c) => c.label).join(', ')}.
          </div>
        )}
        {ordered.slice(0, shown).map((c, i) => (
          <button
            type="button"
            key={c.id}
            role="option"
            class="chip"
            aria-selected={p.value?.id === c.id}
            title={c.synonyms.length ? `${c.label} — also: ${c.synonyms.slice(0, 8).join(', ')}` : c.label}
            onClick={() => p.onPick(c)}
            data-testid="class-chip"
            data-label={c.label}
          >
            {labels[i]}
          </button>
        ))}
        {ordered.length > shown && (
          <span class="more" data-testid="more-classes">
            +{ordered.length - shown} {p.query ? 'more' : 'more — search'}
          </span>
        )}
      </div>
    </div>
  )
}

/** A chip's text: the label, with the synonym that matched when the label itself did not ("trash · trash can"). */
function chipLabel(c: ClassInfo, query: string): string {
  const syn = matchedSynonym(c, query)
  return syn ? `${c.label} · ${syn.replace(/[-_]+/g, ' ')}` : c.label
}
