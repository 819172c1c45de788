/**
 * The grid of variants: click to focus, Shift/⌘-click or Space to select, arrows to move, Enter to insert.
 * In blend mode a plain click picks. Each cell shows the traced vector once ready (what Insert places).
 */
import { moveFocus, type Variant } from '../state.js'
import { Glyph } from './glyph.js'

export interface GridProps {
  variants: Variant[]
  focus: number
  selected: ReadonlySet<number>
  busy: boolean
  pending: number
  columns: number
  blend: boolean
  vectorOf: (v: Variant, isFocused: boolean) => string | undefined
  onFocus: (index: number) => void
  onClick: (index: number) => void
  onToggle: (index: number) => void
  onEnter: () => void
}

export function Skeleton(p: { n: number; columns: number; testId?: string }) {
  return (
    <div class="grid" aria-busy="true" data-testid={p.testId ?? 'grid-loading'} style={{ '--cols': p.columns }}>
      {Array.from({ length: p.n }, (_, i) => (
        <div key={i} class="cell skeleton" />
      ))}
    </div>
  )
}

export function VariantGrid(p: GridProps) {
  if (p.variants.length === 0) return <Skeleton n={Math.max(4, p.pending)} columns={p.columns} />
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') return (e.preventDefault(), p.onEnter())
    if (e.key === ' ') return (e.preventDefault(), p.onToggle(Math.max(0, p.focus)))
    const next = moveFocus(p.focus, e.key, p.columns, p.variants.length)
    if (next !== p.focus || e.key.startsWith('Arrow')) {
      e.preventDefault()
      p.onFocus(next)
    }
  }
  return (
    <div
      class={`grid${p.blend ? ' picking' : ''}`}
      role="listbox"
      aria-multiselectable="true"
      aria-label="Variations"
      tabIndex={0}
      onKeyDown={onKey}
      data-testid="grid"
      aria-busy={p.busy}
      style={{ '--cols': p.columns }}
    >
      {p.variants.map((v, i) => {
        const name = v.origin?.startsWith('style-of') ? v.class.label : `${v.class.label} · seed ${v.seed}`
        return (
          <div
            key={v.id}
            role="option"
            aria-selected={p.selected.has(i)}
            aria-current={i === p.focus}
            class={`cell${i === p.focus ? ' focus' : ''}${p.selected.has(i) ? ' selected' : ''}`}
            onClick={(e) => (p.blend || e.shiftKey || e.metaKey || e.ctrlKey ? p.onToggle(i) : p.onClick(i))}
            onDblClick={() => p.onEnter()}
            title={`${name} — click to edit, Shift-click to select, double-click to insert`}
            data-testid="variant"
            data-seed={v.seed}
          >
            <Glyph bitmap={v.bitmap} path={p.vectorOf(v, i === p.focus)} label={name} />
            {p.selected.has(i) && (
              <span class="check" aria-hidden="true">
                <svg width="10" height="10" viewBox="0 0 10 10"><path d="M2 5.2 4.1 7.3 8 3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" /></svg>
              </span>
            )}
          </div>
        )
      })}
    </div>
  )
}
