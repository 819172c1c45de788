/**
 * The focused variant's editor: the big preview (the traced vector that Insert places; the bitmap while a
 * slider moves), the model's named sliders (card.directions), then "Style 1, 2, …" — the latent dimensions,
 * most important first (card.latentKl) — each with a lock that keeps it when generating again.
 */
import type { LatentDirection, ModelCard } from '../../sdk/model/card.js'
import { activeDims, directionRange, globalDims, sliderOrder, styleNames, type Variant } from '../state.js'
import { Glyph } from './glyph.js'
import { Button, Icon } from './controls.js'

export interface EditorProps {
  card: ModelCard
  variant: Variant
  path: string | undefined
  locked: ReadonlySet<number>
  showAll: boolean
  onLatent: (dim: number, value: number) => void
  onDirection: (d: LatentDirection, value: number) => void
  onLock: (dim: number) => void
  onReset: () => void
  onShowAll: () => void
  onAllClasses: () => void
}

/** Rows of sliders next to the preview before "More styles". */
const ROWS_BESIDE_PREVIEW = 6

export function VariantEditor(p: EditorProps) {
  const order = sliderOrder(p.card)
  const active = activeDims(p.card)
  const names = styleNames(p.card)
  const directions = p.card.directions ?? []
  const firstRows = Math.max(2, ROWS_BESIDE_PREVIEW - directions.length)
  const shown = p.showAll ? order : order.filter((d) => active.has(d)).slice(0, firstRows)
  const hidden = order.length - shown.length
  const hiddenDetails = order.length - globalDims(p.card)
  const v = p.variant
  const edited = v.latent.some((x, i) => x !== v.original[i])
  const all = p.card.kind === 'glyphs' ? 'Alphabet' : 'All icons'
  return (
    <div class="editor" data-testid="editor">
      <div class="preview-col">
        <div class="preview" title="This is the vector Insert places">
          <Glyph bitmap={v.bitmap} path={p.path} label={`Preview of ${v.class.label}`} testId="preview" notify />
        </div>
        <div class="caption">
          <span class="name" data-testid="preview-name">{v.class.label}</span>
          <span class="muted">{v.origin ? (v.origin.startsWith('style-of-') ? 'in a style' : 'blend') : `#${v.seed}`}</span>
        </div>
        <div class="row tight">
          <Button ghost onClick={p.onAllClasses} testId="all-classes" title={`Draw every ${p.card.kind === 'glyphs' ? 'glyph' : 'icon'} in this style`}>
            <Icon name="grid" /> {all}
          </Button>
          <Button ghost icon onClick={p.onReset} disabled={!edited} testId="reset" title="Back to the generated shape" label="Reset">
            <Icon name="reset" />
          </Button>
        </div>
      </div>
      <div class="sliders" aria-label="Adjust the shape">
        {directions.map((d) => {
          const [lo, hi] = directionRange(d)
          const val = v.dirs[d.name] ?? 0
          return (
            <label class="slider named" key={d.name} title={d.label}>
              <span class="name">{d.label}</span>
              <input type="range" min={lo} max={hi} step={0.01} value={val} data-testid={`dir-${d.name}`} onInput={(e) => p.onDirection(d, Number((e.target as HTMLInputElement).value))} />
              <span />
            </label>
          )
        })}
        {shown.map((dim) => {
          const val = v.latent[dim]!
          const name = names.get(dim)!
          const locked = p.locked.has(dim)
          return (
            <label class="slider" key={dim} title={`${name}: one of the model's ${order.length} style dimensions, ${name === 'Style 1' ? 'the one that changes the shape most' : 'ordered by how much they change the shape'}`}>
              <span class={`name${active.has(dim) ? '' : ' muted'}`}>{name}</span>
              <input type="range" min={-3} max={3} step={0.01} value={val} data-testid="latent-slider" data-dim={dim} onInput={(e) => p.onLatent(dim, Number((e.target as HTMLInputElement).value))} />
              <button
                type="button"
                class="lock"
                aria-pressed={locked}
                aria-label={`Keep ${name} when generating again`}
                title={locked ? `${name} is kept when generating again — click to release` : `Keep ${name} when generating again`}
                onClick={(e) => (e.preventDefault(), p.onLock(dim))}
                data-testid="lock"
              >
                <Icon name={locked ? 'lock' : 'unlock'} />
              </button>
            </label>
          )
        })}
        {(hidden > 0 || p.showAll) && (
          <button type="button" class="link" onClick={p.onShowAll} data-testid="more-styles">
            {p.showAll ? 'Fewer styles' : hiddenDetails > 0 ? `More styles (${hidden - hiddenDetails}) and details (${hiddenDetails})` : `More styles (${hidden})`}
          </button>
        )}
      </div>
    </div>
  )
}

/** The blend between two variations, in place of the editor (no scrolling to find it). */
export function BlendStrip(p: { variants: Variant[]; from: string; to: string; vectorOf: (v: Variant) => string | undefined; onPick: (v: Variant) => void; onClose: () => void }) {
  return (
    <div class="blend" data-testid="strip">
      <div class="row between">
        <span>
          Blend from <b>{p.from}</b> to <b>{p.to}</b> — click a step to add it to the grid
        </span>
        <Button ghost icon onClick={p.onClose} label="Close the blend" title="Close" testId="close-strip">
          <Icon name="close" />
        </Button>
      </div>
      <div class="strip">
        {p.variants.map((v, i) => (
          <div key={v.id} class="cell" onClick={() => p.onPick(v)} title={`Add step ${i + 1} to the grid`} data-testid="strip-step">
            <Glyph bitmap={v.bitmap} path={p.vectorOf(v)} label={`step ${i + 1}`} />
          </div>
        ))}
      </div>
    </div>
  )
}
