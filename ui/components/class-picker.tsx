/** Class picker: a search box over labels and synonyms and the matching classes as chips. */
import { useMemo } from 'preact/hooks'
import type { ClassInfo } from '../../sdk/model/card.js'
import { searchClasses } from '../state.js'

const SHOWN = 80

export function ClassPicker(p: { classes: readonly ClassInfo[]; value: ClassInfo | null; query: string; onQuery: (q: string) => void; onPick: (c: ClassInfo) => void; onSubmit: () => void }) {
  const hits = useMemo(() => searchClasses(p.classes, p.query), [p.classes, p.query])
  return (
    <div class="col">
      <div class="row">
        <input
          class="input grow"
          type="search"
          placeholder={`Search ${p.classes.length} classes (labels and synonyms)`}
          value={p.query}
          aria-label="Search classes"
          data-testid="class-search"
          onInput={(e) => {
            const q = (e.target as HTMLInputElement).value
            p.onQuery(q)
            const first = searchClasses(p.classes, q)[0]
            if (first) p.onPick(first)
          }}
          onKeyDown={(e) => e.key === 'Enter' && p.onSubmit()}
        />
      </div>
      <div class="classes" role="listbox" aria-label="Classes" style={{ marginTop: '6px' }}>
        {hits.length === 0 && <span class="muted" data-testid="no-class">No class matches “{p.query}”.</span>}
        {hits.slice(0, SHOWN).map((c) => (
          <button
            type="button"
            key={c.id}
            role="option"
            class="chip"
            aria-selected={p.value?.id === c.id}
            title={c.synonyms.length ? `also: ${c.synonyms.join(', ')}` : c.label}
            onClick={() => p.onPick(c)}
            data-testid="class-chip"
          >
            {c.label}
          </button>
        ))}
        {hits.length > SHOWN && <span class="muted">+{hits.length - SHOWN} more — refine the search</span>}
      </div>
    </div>
  )
}
