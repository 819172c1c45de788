/** The plugin window: model switch, class picker, generation controls, grid, editor, interpolation, insert. */
import { ClassPicker } from './components/class-picker.js'
import { Banner, Button, NumberField, Segmented } from './components/controls.js'
import { GRID_COLUMNS, VariantGrid } from './components/grid.js'
import { InterpolationStrip, VariantEditor } from './components/sliders.js'
import { useLatentype, type Controller } from './controller.js'

function Header({ c }: { c: Controller }) {
  const backend = c.model?.backend
  return (
    <div class="header">
      <Segmented
        label="Model"
        value={c.modelKey}
        options={c.models.map((m) => ({ value: m.key, label: m.key.startsWith('file:') ? m.name : m.kind[0]!.toUpperCase() + m.kind.slice(1) }))}
        onChange={(k) => void c.switchModel(k)}
      />
      <label class="btn ghost" title="Open a latentype .onnx model from disk">
        Open…
        <input
          type="file"
          accept=".onnx"
          class="sr-only"
          data-testid="open-model"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0]
            if (f) void c.openFile(f)
          }}
        />
      </label>
      <span class="grow" />
      {c.loading && <span class="spinner" aria-label={c.loading} />}
      {backend && (
        <span
          class={`badge${backend.ep === 'webgpu' ? ' gpu' : ''}`}
          title={`${backend.reason}\nload: runtime ${c.model!.timings.runtime.toFixed(0)} ms, model ${c.model!.timings.unpack.toFixed(0)} ms, sessions ${c.model!.timings.open.toFixed(0)} ms`}
          data-testid="backend"
        >
          {backend.ep === 'webgpu' ? 'WebGPU' : 'wasm'}
        </span>
      )}
    </div>
  )
}

function Controls({ c }: { c: Controller }) {
  const card = c.card!
  return (
    <>
      <div class="section-title">
        <span>
          Class <span class="muted">· {card.name}{card.metrics.trained === 'no' ? ' (untrained demo)' : ''}</span>
        </span>
        {c.cls && <span class="muted" data-testid="current-class">{c.cls.label}</span>}
      </div>
      <ClassPicker classes={card.classes} value={c.cls} query={c.query} onQuery={c.setQuery} onPick={c.setCls} onSubmit={() => void c.generate()} />
      <div class="row">
        <NumberField label="Count" value={c.count} min={1} max={64} onChange={c.setCount} testId="count" />
        <NumberField label="Seed" value={c.seed} min={0} max={2 ** 31 - 1} onChange={c.setSeed} testId="seed" />
        <Button ghost onClick={() => void c.shuffle()} title="Shuffle the seed and generate" testId="shuffle">
          ⟳
        </Button>
      </div>
      <div class="row">
        <label class="row grow" title="Temperature: below 1 is typical, above 1 adventurous">
          <span class="label">Temperature</span>
          <input class="grow" type="range" min={0} max={2} step={0.05} value={c.temperature} data-testid="temperature" onInput={(e) => c.setTemperature(Number((e.target as HTMLInputElement).value))} />
          <span class="muted">{c.temperature.toFixed(2)}</span>
        </label>
        <Button primary onClick={() => void c.generate()} disabled={!c.cls || c.busy} testId="generate">
          Generate
        </Button>
      </div>
    </>
  )
}

function Body({ c }: { c: Controller }) {
  if (!c.card) {
    if (c.loading) {
      return (
        <div class="state" data-testid="loading">
          <span class="spinner" /> {c.loading}
          <div class="small">Decompressing the runtime and compiling it takes a moment the first time.</div>
        </div>
      )
    }
    return (
      <div class="state" data-testid="no-model">
        No model is open. Pick Icons or Glyphs above, or open a .onnx file.
      </div>
    )
  }
  const focused = c.variants[c.focus]
  return (
    <>
      <Controls c={c} />
      <VariantGrid
        variants={c.variants}
        focus={c.focus}
        selected={c.selected}
        busy={c.busy}
        pending={c.count}
        onFocus={c.setFocus}
        onToggle={c.toggle}
        onEnter={() => c.insertChosen()}
      />
      {focused && (
        <VariantEditor
          card={c.card}
          variant={focused}
          locked={c.locked}
          showAll={c.showAll}
          onLatent={c.setLatent}
          onDirection={c.setDirection}
          onLock={c.toggleLock}
          onReset={c.resetFocused}
          onShowAll={c.setShowAll}
        />
      )}
      {c.variants.length > 1 && (
        <div class="row">
          <Button onClick={() => void c.interpolate()} disabled={c.selected.size !== 2} title="Shift-click two variants, then interpolate between them" testId="interpolate">
            Interpolate
          </Button>
          <span class="muted small">{c.selected.size === 2 ? 'between the two selected variants' : 'shift-click two variants to blend them'}</span>
        </div>
      )}
      {c.strip && <InterpolationStrip variants={c.strip} onPick={c.addFromStrip} />}
    </>
  )
}

function Footer({ c }: { c: Controller }) {
  const n = c.selected.size || (c.variants[c.focus] ? 1 : 0)
  return (
    <div class="footer">
      <Button
        onClick={c.styleFromSelection}
        disabled={!c.card || c.selection.count === 0 || c.busy}
        title={c.selection.count ? `Encode “${c.selection.name}” and draw every class in its style` : 'Select a glyph or icon in the document first'}
        testId="style"
      >
        Use selection’s style
      </Button>
      <span class="grow" />
      <NumberField label="px" value={c.size} min={4} max={4096} onChange={c.setSize} testId="size" />
      <Button onClick={() => c.insertChosen(true)} disabled={c.variants.length === 0} testId="insert-all">
        All
      </Button>
      <Button primary onClick={() => c.insertChosen()} disabled={n === 0} testId="insert" title="Insert as editable vectors (⏎)">
        Insert{n > 1 ? ` ${n}` : ''}
      </Button>
    </div>
  )
}

export function App() {
  const c = useLatentype()
  return (
    <div class="app" data-grid-columns={GRID_COLUMNS}>
      <Header c={c} />
      <div class="scroll">
        {c.error && (
          <Banner kind="error" onDismiss={() => c.setError(null)}>
            {c.error}
          </Banner>
        )}
        {c.info && !c.error && (
          <Banner kind="info" onDismiss={() => c.setInfo(null)}>
            {c.info}
          </Banner>
        )}
        {c.model && <div class="muted small" data-testid="backend-reason">{c.model.backend.reason}</div>}
        <Body c={c} />
      </div>
      <Footer c={c} />
    </div>
  )
}
