/** "Style from selection" controls: the Match closely toggle, the refinement's progress with Cancel, and the question of which class each selected drawing is. */
import type { ClassInfo } from '../../sdk/model/card.js'
import type { SelectionStyle } from '../selection-style.js'
import { Button, Checkbox } from './controls.js'

/** Shown while drawings are selected or a refinement runs. */
export function StyleOptions(props: { style: SelectionStyle; selected: number; kind: string }) {
  const { style, selected, kind } = props
  const fit = style.fit
  if (fit) {
    const pct = fit.steps ? Math.round((100 * fit.step) / fit.steps) : 0
    return (
      <div class="row styleopts" data-testid="fit">
        <span class="muted">Matching closely…</span>
        <div class="progress grow" role="progressbar" aria-label="Match closely" aria-valuemin={0} aria-valuemax={fit.steps} aria-valuenow={fit.step} data-testid="fit-progress">
          <div style={{ width: `${pct}%` }} />
        </div>
        <Button ghost onClick={style.cancelFit} testId="fit-cancel" title="Stop refining and keep the quick match">
          Cancel
        </Button>
      </div>
    )
  }
  if (selected === 0) return null
  return (
    <div class="row styleopts">
      <span class="muted">{selected === 1 ? '1 layer selected' : `${selected} layers selected`}</span>
      <span class="grow" />
      <Checkbox
        label="Match closely"
        checked={style.matchClosely}
        onChange={style.setMatchClosely}
        testId="match-closely"
        title={
          kind === 'icons'
            ? 'After the quick match, refine the style against the selected icons (a second or so). With icons it tends to soften the drawings: the quick match is usually as close'
            : 'After the quick match, refine the style against the selected drawings (a second or so): slant and weight follow them more closely'
        }
      />
    </div>
  )
}

/** Which class is each selected drawing? Asked when a layer's name, text or data does not say. */
export function AskClasses(props: { style: SelectionStyle; classes: readonly ClassInfo[] }) {
  const a = props.style.asking
  if (!a) return null
  return (
    <section class="panel ask" data-testid="ask-classes" aria-label="Which class is each selected drawing?">
      <b>Which {a.items.length === 1 ? 'class is this drawing' : 'class is each drawing'}?</b>
      {a.items.map((it, i) => (
        <div class="row" key={i} data-testid="ask-row">
          <img src={it.url} alt={it.drawing.name} class="thumb" />
          <span class="grow name" title={it.drawing.name}>
            {it.drawing.char && it.drawing.char !== it.drawing.name ? `“${it.drawing.char}” in ${it.drawing.name}` : it.drawing.name}
          </span>
          <select
            class="input select"
            aria-label={`Class of ${it.drawing.name}`}
            data-testid="ask-class"
            value={String(it.cls.id)}
            onChange={(e) => {
              const c = props.classes.find((x) => String(x.id) === (e.target as HTMLSelectElement).value)
              if (c) props.style.setAskClass(i, c)
            }}
          >
            {props.classes.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div class="row">
        <span class="grow" />
        <Button ghost onClick={props.style.cancelAsk} testId="ask-cancel">
          Cancel
        </Button>
        <Button primary onClick={props.style.confirmAsk} testId="ask-go" title="Draw every class in the style of these drawings">
          Draw in this style
        </Button>
      </div>
    </section>
  )
}
