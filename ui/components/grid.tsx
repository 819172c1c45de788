/** The grid of variants: click to focus, Shift/⌘-click or Space to select, arrows to move, Enter to insert. */
import { moveFocus, type Variant } from '../state.js'
import { BitmapCanvas } from './bitmap-canvas.js'

export const GRID_COLUMNS = 4

export interface GridProps {
  variants: Variant[]
  focus: number
  selected: ReadonlySet<number>
  busy: boolean
  pending: number
  onFocus: (index: number) => void
  onToggle: (index: number) => void
  onEnter: () => void
}

export function VariantGrid(p: GridProps) {
  if (p.busy && p.variants.length === 0) {
    return (
      <div class="grid" aria-busy="true" data-testid="grid-loading">
        {Array.from({ length: Math.max(4, p.pending) }, (_, i) => (
          <div key={i} class="cell skeleton" />
        ))}
      </div>
    )
  }
  if (p.variants.length === 0) {
    return (
      <div class="state" data-testid="grid-empty">
        Nothing generated yet. Pick a class and press <b>Generate</b> (or ⏎ in the search box).
      </div>
    )
  }
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') return (e.preventDefault(), p.onEnter())
    if (e.key === ' ') return (e.preventDefault(), p.onToggle(Math.max(0, p.focus)))
    const next = moveFocus(p.focus, e.key, GRID_COLUMNS, p.variants.length)
    if (next !== p.focus || e.key.startsWith('Arrow')) {
      e.preventDefault()
      p.onFocus(next)
    }
  }
  return (
    <div class="grid" role="listbox" aria-multiselectable="true" aria-label="Variants" tabIndex={0} onKeyDown={onKey} data-testid="grid" aria-busy={p.busy}>
      {p.variants.map((v, i) => (
        <div
          key={v.id}
          role="option"
          aria-selected={p.selected.has(i)}
          class={`cell${i === p.focus ? ' focus' : ''}${p.selected.has(i) ? ' selected' : ''}`}
          onClick={(e) => (e.shiftKey || e.metaKey || e.ctrlKey ? p.onToggle(i) : p.onFocus(i))}
          title={`${v.class.label} · seed ${v.seed}`}
          data-testid="variant"
        >
          <BitmapCanvas bitmap={v.bitmap} label={`${v.class.label}, seed ${v.seed}`} />
          <span class="tag">{v.origin ? v.class.label : `#${v.seed}`}</span>
          {p.selected.has(i) && <span class="check">✓</span>}
        </div>
      ))}
    </div>
  )
}
