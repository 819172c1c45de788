/** Small controls that look like Figma's (sizes, radii and colours from Figma's theme tokens). */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'

export function Button(props: { onClick: () => void; children: ComponentChildren; primary?: boolean; ghost?: boolean; icon?: boolean; pressed?: boolean; disabled?: boolean; title?: string; testId?: string; label?: string }) {
  const cls = `btn${props.primary ? ' primary' : ''}${props.ghost ? ' ghost' : ''}${props.icon ? ' icon' : ''}`
  return (
    <button type="button" class={cls} onClick={props.onClick} disabled={props.disabled} title={props.title} aria-label={props.label} aria-pressed={props.pressed} data-testid={props.testId}>
      {props.children}
    </button>
  )
}

/**
 * A number field that keeps what is being typed until it is committed (Enter, blur, or the spin buttons), so
 * re-renders meanwhile (new traces, a grid arriving) cannot reset it. Out-of-range values are clamped.
 */
export function NumberField(props: { label: string; suffix?: string; value: number; min: number; max: number; step?: number; onChange: (v: number) => void; testId?: string; width?: number; title?: string }) {
  const [draft, setDraft] = useState<string | null>(null)
  const step = props.step ?? 1
  const commit = (el: HTMLInputElement): void => {
    setDraft(null)
    const v = Number(el.value)
    if (el.value !== '' && Number.isFinite(v)) props.onChange(Math.min(props.max, Math.max(props.min, Math.round(v / step) * step)))
    else el.value = String(props.value)
  }
  return (
    <label class="field" title={props.title}>
      {props.label && <span class="label">{props.label}</span>}
      <input
        class="input num"
        type="number"
        value={draft ?? props.value}
        min={props.min}
        max={props.max}
        step={step}
        style={props.width ? { width: `${props.width}px` } : undefined}
        data-testid={props.testId}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onChange={(e) => commit(e.target as HTMLInputElement)}
        onKeyDown={(e) => e.key === 'Escape' && (setDraft(null), (e.target as HTMLInputElement).blur())}
      />
      {props.suffix && <span class="label">{props.suffix}</span>}
    </label>
  )
}

export function Segmented<T extends string | number>(props: { options: { value: T; label: string; title?: string }[]; value: T | null; onChange: (v: T) => void; label: string; testPrefix: string }) {
  return (
    <div class="seg" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button type="button" key={o.value} aria-pressed={o.value === props.value} title={o.title} onClick={() => props.onChange(o.value)} data-testid={`${props.testPrefix}-${o.value}`}>
          {o.label}
        </button>
      ))}
    </div>
  )
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (v: boolean) => void; testId?: string; title?: string }) {
  return (
    <label class="check" title={props.title}>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)} data-testid={props.testId} />
      <span>{props.label}</span>
    </label>
  )
}

/** A banner is for errors that need the designer to act; transient news goes to figma.notify toasts. */
export function Banner(props: { children: ComponentChildren; details?: string; onDismiss?: () => void }) {
  return (
    <div class="banner error" role="alert" data-testid="banner-error">
      <div class="grow">
        <div data-testid="banner-message">{props.children}</div>
        {props.details && (
          <details class="details">
            <summary>Details</summary>
            <div data-testid="banner-details">{props.details}</div>
          </details>
        )}
      </div>
      {props.onDismiss && (
        <button type="button" class="btn ghost icon" onClick={props.onDismiss} aria-label="Dismiss" title="Dismiss">
          <Icon name="close" />
        </button>
      )}
    </div>
  )
}

const ICONS = {
  shuffle: 'M3 5h2.5c1.7 0 2.6.8 3.5 2.2l1.9 3c.8 1.3 1.6 1.8 3.1 1.8H15m0 0-2-2m2 2-2 2M3 13h2.5c1 0 1.7-.3 2.3-.9M15 5h-1c-1.5 0-2.3.5-3.1 1.8M15 5l-2-2m2 2-2 2',
  reset: 'M4.5 9a4.5 4.5 0 1 0 1.3-3.2M4.5 3.5v2.6h2.6',
  close: 'M5 5l8 8M13 5l-8 8',
  info: 'M9 8.2v4.3M9 5.6v.1M9 15.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z',
  blend: 'M6.5 12.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM11.5 12.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z',
  lock: 'M5.5 8.5h7v5h-7zM7 8.5V6.8a2 2 0 0 1 4 0v1.7',
  unlock: 'M5.5 8.5h7v5h-7zM7 8.5V6.8a2 2 0 0 1 3.9-.6',
  search: 'M8 13a5 5 0 1 0 0-10 5 5 0 0 0 0 10ZM11.6 11.6 15 15',
  grid: 'M3.5 3.5h4v4h-4zM10.5 3.5h4v4h-4zM3.5 10.5h4v4h-4zM10.5 10.5h4v4h-4z',
  pick: 'M4 14l4.5-4.5M10.5 4.5l3 3M8 7l3 3M12.2 3.3l2.5 2.5-1.7 1.7-2.5-2.5z',
  resize: 'M14 8l-6 6M14 12l-2 2',
} as const

/** 18×18 stroke icons in the current text colour, drawn like Figma's UI icons. */
export function Icon(props: { name: keyof typeof ICONS }) {
  return (
    <svg class="ico" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
      <path d={ICONS[props.name]} fill="none" stroke="currentColor" stroke-width="1.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  )
}
