/** Small controls that look like Figma's (sizes, radii and colours from Figma's theme tokens). */
import type { ComponentChildren } from 'preact'

export function Button(props: { onClick: () => void; children: ComponentChildren; primary?: boolean; ghost?: boolean; disabled?: boolean; title?: string; testId?: string }) {
  const cls = `btn${props.primary ? ' primary' : ''}${props.ghost ? ' ghost' : ''}`
  return (
    <button type="button" class={cls} onClick={props.onClick} disabled={props.disabled} title={props.title} data-testid={props.testId}>
      {props.children}
    </button>
  )
}

export function NumberField(props: { label: string; value: number; min: number; max: number; step?: number; onChange: (v: number) => void; testId?: string }) {
  return (
    <label class="row">
      <span class="label">{props.label}</span>
      <input
        class="input num"
        type="number"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        data-testid={props.testId}
        onChange={(e) => {
          const v = Number((e.target as HTMLInputElement).value)
          if (Number.isFinite(v)) props.onChange(Math.min(props.max, Math.max(props.min, v)))
        }}
      />
    </label>
  )
}

export function Segmented<T extends string>(props: { options: { value: T; label: string }[]; value: T; onChange: (v: T) => void; label: string }) {
  return (
    <div class="seg" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button type="button" key={o.value} aria-pressed={o.value === props.value} onClick={() => props.onChange(o.value)} data-testid={`model-${o.value}`}>
          {o.label}
        </button>
      ))}
    </div>
  )
}

export function Banner(props: { kind: 'error' | 'info'; children: ComponentChildren; onDismiss?: () => void }) {
  return (
    <div class={`banner ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'} data-testid={`banner-${props.kind}`}>
      <div class="grow">{props.children}</div>
      {props.onDismiss && <button type="button" class="btn ghost" onClick={props.onDismiss} aria-label="Dismiss">✕</button>}
    </div>
  )
}
