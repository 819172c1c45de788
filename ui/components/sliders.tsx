/**
 * The selected variant's editor: a large live preview, named sliders (card.directions) above the raw latent
 * sliders ordered by card.latentKl, a lock per dimension (kept when re-sampling), and reset.
 */
import type { LatentDirection, ModelCard } from '../../sdk/model/card.js'
import { activeDims, directionRange, sliderOrder, type Variant } from '../state.js'
import { BitmapCanvas } from './bitmap-canvas.js'
import { Button } from './controls.js'

export interface EditorProps {
  card: ModelCard
  variant: Variant
  locked: ReadonlySet<number>
  showAll: boolean
  onLatent: (dim: number, value: number) => void
  onDirection: (d: LatentDirection, value: number) => void
  onLock: (dim: number) => void
  onReset: () => void
  onShowAll: () => void
}

const DEFAULT_SHOWN = 12

export function VariantEditor(p: EditorProps) {
  const order = sliderOrder(p.card)
  const active = activeDims(p.card)
  const shown = p.showAll ? order : order.slice(0, DEFAULT_SHOWN)
  return (
    <div class="editor" data-testid="editor">
      <div>
        <div class="preview">
          <BitmapCanvas bitmap={p.variant.bitmap} label={`Preview of ${p.variant.class.label}`} testId="preview" notify />
        </div>
        <div class="row" style={{ marginTop: '6px', justifyContent: 'space-between' }}>
          <span class="muted small">
            {p.variant.class.label} · #{p.variant.seed}
          </span>
          <Button ghost onClick={p.onReset} testId="reset" title="Back to the sampled latent">
            Reset
          </Button>
        </div>
      </div>
      <div class="sliders" aria-label="Latent sliders">
        {(p.card.directions ?? []).map((d) => {
          const [lo, hi] = directionRange(d)
          const v = p.variant.dirs[d.name] ?? 0
          return (
            <label class="slider named" key={d.name} title={`Move along the “${d.label}” direction`}>
              <span class="name">{d.label}</span>
              <input type="range" min={lo} max={hi} step={0.01} value={v} data-testid={`dir-${d.name}`} onInput={(e) => p.onDirection(d, Number((e.target as HTMLInputElement).value))} />
              <span class="val">{v.toFixed(2)}</span>
              <span />
            </label>
          )
        })}
        {shown.map((dim) => {
          const v = p.variant.latent[dim]!
          const kl = p.card.latentKl?.[dim]
          return (
            <label class="slider" key={dim} title={kl === undefined ? `latent ${dim}` : `latent ${dim}: KL ${kl.toFixed(3)} nats${active.has(dim) ? '' : ' (inactive)'}`}>
              <span class={active.has(dim) ? '' : 'muted'}>z{dim}</span>
              <input type="range" min={-3} max={3} step={0.01} value={v} data-testid="latent-slider" data-dim={dim} onInput={(e) => p.onLatent(dim, Number((e.target as HTMLInputElement).value))} />
              <span class="val">{v.toFixed(2)}</span>
              <button type="button" class="lock" aria-pressed={p.locked.has(dim)} aria-label={`Lock z${dim} when re-sampling`} title="Keep this value when generating again" onClick={(e) => (e.preventDefault(), p.onLock(dim))} data-testid="lock">
                {p.locked.has(dim) ? '●' : '○'}
              </button>
            </label>
          )
        })}
        {order.length > DEFAULT_SHOWN && (
          <button type="button" class="btn ghost small" onClick={p.onShowAll}>
            {p.showAll ? 'Show fewer' : `Show all ${order.length} dimensions`}
          </button>
        )}
        {!p.card.latentKl && <span class="muted small">This model’s card has no per-dimension KL, so sliders are in natural order.</span>}
      </div>
    </div>
  )
}

export function InterpolationStrip(p: { variants: Variant[]; onPick: (v: Variant) => void }) {
  return (
    <div class="strip" data-testid="strip">
      {p.variants.map((v, i) => (
        <div key={v.id} class="cell" onClick={() => p.onPick(v)} title="Add this step to the grid">
          <BitmapCanvas bitmap={v.bitmap} label={`step ${i + 1}`} />
        </div>
      ))}
    </div>
  )
}
