/** The plugin window: model switch, class search, generation, grid, editor or blend, insert bar. Render only. */
import { useEffect, useRef, useState } from 'preact/hooks'
import { SIZE_PRESETS } from '../plugin/protocol.js'
import { ClassPicker } from './components/class-picker.js'
import { Banner, Button, Checkbox, Icon, NumberField, Segmented } from './components/controls.js'
import { Skeleton, VariantGrid } from './components/grid.js'
import { AskClasses, StyleOptions } from './components/style-panel.js'
import { BlendStrip, VariantEditor } from './components/sliders.js'
import { useLatentype, type Controller } from './controller.js'
import { postToMain } from './bridge.js'
import { fillChoice, fillHex, gridColumns, sliderOrder, styleNames, type FillMode } from './state.js'

const modelLabel = (m: { key: string; name: string; kind: string }): string => (m.key.startsWith('file:') ? m.name : m.kind[0]!.toUpperCase() + m.kind.slice(1))

function Header({ c }: { c: Controller }) {
  return (
    <div class="header">
      <Segmented label="Model" testPrefix="model" value={c.modelKey || null} options={c.models.map((m) => ({ value: m.key, label: modelLabel(m), title: `${m.name} model` }))} onChange={c.switchModel} />
      <span class="grow" />
      {(c.loading || c.busy) && <span class="spinner" role="status" aria-label={c.loading ?? 'Working…'} data-testid="spinner" />}
      <Button ghost icon pressed={c.advanced} onClick={() => c.setAdvanced(!c.advanced)} title="About this model, advanced options" label="About and advanced" testId="info">
        <Icon name="info" />
      </Button>
    </div>
  )
}

/** Developer details, only when asked for: model card, runtime, what the style sliders are. */
function Advanced({ c }: { c: Controller }) {
  const m = c.model
  const card = c.card
  const kl = card?.latentKl
  const names = card ? styleNames(card) : new Map<number, string>()
  return (
    <section class="panel" data-testid="advanced" aria-label="About and advanced">
      <div class="row between">
        <b>About this model</b>
        <Button ghost icon onClick={() => c.setAdvanced(false)} label="Close" title="Close">
          <Icon name="close" />
        </Button>
      </div>
      {card && (
        <p>
          <b>{card.name}</b> · {card.classes.length} classes · {card.imageSize} px · {card.latentSize} style dimensions
          {card.metrics.trained === 'no' ? ' · untrained demo' : ''}. {card.description ?? ''}
        </p>
      )}
      {m && (
        <p>
          Runs on <span data-testid="backend">{m.backend.ep === 'webgpu' ? 'WebGPU' : 'wasm'}</span>: <span data-testid="backend-reason">{m.backend.reason}</span>. Opened in{' '}
          {(m.timings.runtime + m.timings.unpack + m.timings.open).toFixed(0)} ms (runtime {m.timings.runtime.toFixed(0)}, model {m.timings.unpack.toFixed(0)}, sessions {m.timings.open.toFixed(0)}).
        </p>
      )}
      {card && (
        <p class="muted">
          Style sliders are the latent dimensions, most important first{kl ? ' (KL per dimension, nats)' : ' (the card has no KL, so in natural order)'}:{' '}
          {sliderOrder(card)
            .slice(0, 8)
            .map((d) => `${names.get(d)} = z${d}${kl ? ` (${kl[d]!.toFixed(2)})` : ''}`)
            .join(', ')}
          {card.latentSize > 8 ? ', …' : ''}. Generating samples each from the prior N(0, Randomness²).
        </p>
      )}
      <p class="muted">Keys: arrows move, Space selects, Enter inserts, Shift-click selects, double-click inserts.</p>
      <label class="btn" title="Open a latentype .onnx model from disk">
        Open a model file…
        <input
          type="file"
          accept=".onnx"
          class="sr-only"
          data-testid="open-model"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0]
            if (f) void c.openFile(f)
            ;(e.target as HTMLInputElement).value = ''
          }}
        />
      </label>
    </section>
  )
}

function GenerateRow({ c }: { c: Controller }) {
  const s = c.session!
  return (
    <div class="row gen">
      <NumberField label="Seed" value={s.seed} min={0} max={2 ** 31 - 1} onChange={c.setSeed} testId="seed" width={84} title="The same seed gives the same variations" />
      <Button ghost icon onClick={c.shuffle} title="New variations (random seed)" label="Shuffle" testId="shuffle">
        <Icon name="shuffle" />
      </Button>
      <label class="field grow" title="Randomness: low gives typical shapes, high gives adventurous ones">
        <span class="label">Randomness</span>
        <input
          class="grow"
          type="range"
          min={0}
          max={2}
          step={0.05}
          value={s.temperature}
          aria-valuetext={s.temperature.toFixed(2)}
          data-testid="temperature"
          onInput={(e) => c.setTemperature(Number((e.target as HTMLInputElement).value))}
          onChange={(e) => c.setTemperature(Number((e.target as HTMLInputElement).value), true)}
        />
      </label>
      <Button primary onClick={c.generate} disabled={!s.cls || c.busy} testId="generate" title={s.cls ? `Generate ${s.count} × ${s.cls.label}` : 'No class matches the search'}>
        Generate
      </Button>
    </div>
  )
}

function GridBar({ c }: { c: Controller }) {
  const s = c.session!
  const picking = c.blend
  return (
    <div class="row gridbar">
      <NumberField label="Variations" value={s.count} min={1} max={64} onChange={c.setCount} testId="count" width={48} />
      <span class="grow" />
      <Button
        ghost
        pressed={picking}
        onClick={c.startBlend}
        disabled={s.variants.length < 2}
        testId="interpolate"
        title={s.selected.size === 2 ? 'Blend the two selected variations' : 'Blend two variations: click Blend, then pick two'}
      >
        <Icon name="blend" /> {s.selected.size === 2 ? 'Blend 2' : 'Blend'}
      </Button>
      <Button
        ghost
        onClick={c.styleFromSelection}
        disabled={!c.card || c.selection.count === 0 || c.busy}
        title={c.selection.count > 1 ? `Draw every class in the style of the ${c.selection.count} selected layers (up to 16 drawings)` : c.selection.count ? `Draw every class in the style of “${c.selection.name}”` : 'Select glyphs or icons in the document, then draw every class in their style'}
        testId="style"
      >
        <Icon name="pick" /> Match selection
      </Button>
    </div>
  )
}

function Body({ c, width }: { c: Controller; width: number }) {
  const columns = gridColumns(width)
  const s = c.session
  if (!c.card || !s) {
    return (
      <>
        <div class="search">
          <Icon name="search" />
          <input class="input grow" type="search" disabled placeholder="Search" aria-label="Search" />
        </div>
        <div class="state-line" data-testid="loading">
          <span class="spinner" /> {c.loading ?? 'Starting…'}
        </div>
        <Skeleton n={8} columns={columns} />
      </>
    )
  }
  const focused = s.variants[s.focus]
  const strip = s.strip
  const sel = [...s.selected].sort((a, b) => a - b).map((i) => s.variants[i])
  const tag = (v: (typeof s.variants)[number] | undefined): string => (v ? (v.origin ? v.class.label : `#${v.seed}`) : '')
  return (
    <>
      <ClassPicker classes={c.card.classes} noun={c.card.kind === 'other' ? 'classes' : c.card.kind} value={s.cls} query={s.query} width={width} onQuery={c.setQuery} onPick={c.pickClass} onSubmit={c.submitSearch} />
      <GenerateRow c={c} />
      <GridBar c={c} />
      <StyleOptions style={c.style} selected={c.selection.count} kind={c.card.kind} />
      <AskClasses style={c.style} classes={c.card.classes} />
      {c.blend && (
        <div class="hint" data-testid="blend-hint">
          Click two variations to blend them ({s.selected.size} of 2 picked).
        </div>
      )}
      <VariantGrid
        variants={s.variants}
        focus={s.focus}
        selected={s.selected}
        busy={c.busy}
        pending={s.count}
        columns={columns}
        blend={c.blend}
        vectorOf={c.vectorOf}
        onFocus={c.setFocus}
        onClick={c.clickCell}
        onToggle={c.toggle}
        onEnter={() => c.insertChosen()}
      />
      {strip ? (
        <BlendStrip variants={strip} from={tag(sel[0])} to={tag(sel[1])} vectorOf={(v) => c.vectorOf(v, false)} onPick={c.addFromStrip} onClose={c.closeStrip} />
      ) : (
        focused && (
          <VariantEditor
            card={c.card}
            variant={focused}
            path={c.vectorOf(focused, true)}
            locked={s.locked}
            showAll={s.showAll}
            onLatent={c.setLatent}
            onDirection={c.setDirection}
            onLock={c.toggleLock}
            onReset={c.resetFocused}
            onShowAll={c.toggleShowAll}
            onAllClasses={() => void c.allClasses()}
          />
        )
      )}
    </>
  )
}

function FillPicker({ c }: { c: Controller }) {
  const ins = c.insertSettings
  const effective = fillChoice(ins, c.styles, c.selection.fill)
  const hex = fillHex(effective, c.styles)
  const value = ins.fillMode === 'style' && ins.styleId ? `style:${ins.styleId}` : ins.fillMode
  return (
    <div class="fill" title="Fill of the inserted vectors">
      <label class="swatch" style={{ background: hex }} title="Pick a colour">
        <input
          type="color"
          class="sr-only"
          value={ins.color}
          data-testid="color"
          onInput={(e) => c.updateInsert({ color: (e.target as HTMLInputElement).value.toLowerCase(), fillMode: 'color' })}
        />
      </label>
      <select
        class="input select"
        value={value}
        aria-label="Fill"
        data-testid="fill-mode"
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value
          if (v.startsWith('style:')) c.updateInsert({ fillMode: 'style', styleId: v.slice(6) })
          else c.updateInsert({ fillMode: v as FillMode })
        }}
      >
        <option value="color">{ins.color.toUpperCase()}</option>
        <option value="selection">Selection’s fill{c.selection.fill ? ` (${c.selection.fill.toUpperCase()})` : ''}</option>
        {c.styles.length > 0 && (
          <optgroup label="Colour styles">
            {c.styles.map((s) => (
              <option key={s.id} value={`style:${s.id}`}>
                {s.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  )
}

function Footer({ c }: { c: Controller }) {
  const s = c.session
  const n = s ? s.selected.size || (s.variants[s.focus] ? 1 : 0) : 0
  const label = s?.selected.size ? `Insert ${n}` : 'Insert'
  const ins = c.insertSettings
  const target = c.selection.replaceable
  return (
    <div class="footer">
      <div class="row">
        <Segmented label="Size in px" testPrefix="size" value={ins.size} options={SIZE_PRESETS.map((p) => ({ value: p, label: String(p), title: `Insert at ${p} × ${p} px` }))} onChange={(size) => c.updateInsert({ size })} />
        <NumberField label="" suffix="px" value={ins.size} min={4} max={4096} onChange={(size) => c.updateInsert({ size })} testId="size" width={44} title="Insert size in px (any size)" />
        <span class="grow" />
        <FillPicker c={c} />
      </div>
      <div class="row">
        <Checkbox label="As components" checked={ins.asComponent} onChange={(asComponent) => c.updateInsert({ asComponent })} testId="as-component" title="Insert each variation as a component" />
        <span class="grow" />
        <Button onClick={() => c.insertChosen(true)} disabled={!s || s.variants.length < 2} testId="insert-all" title="Insert every variation in the grid">
          Insert all
        </Button>
        {target ? (
          <>
            <Button onClick={() => c.insertChosen()} disabled={n === 0} testId="insert" title="Insert as new vectors (⏎)">
              {label}
            </Button>
            <Button primary onClick={c.replaceSelected} disabled={!s?.variants[s.focus]} testId="replace" title={`Replace the selected ${target.width}×${target.height} latentype layer, keeping its size, position and fill`}>
              Replace
            </Button>
          </>
        ) : (
          <Button primary onClick={() => c.insertChosen()} disabled={n === 0} testId="insert" title={s?.selected.size ? 'Insert the selected variations (⏎)' : 'Insert the variation shown in the preview (⏎)'}>
            {label}
          </Button>
        )}
      </div>
    </div>
  )
}

/** Drag the corner to resize the plugin window (figma.ui.resize); the size is remembered on release. */
function ResizeHandle() {
  const drag = useRef<{ x: number; y: number; w: number; h: number; frame: number } | null>(null)
  const send = (e: PointerEvent, save: boolean): void => {
    const d = drag.current
    if (!d) return
    postToMain({ type: 'resize', width: Math.round(d.w + e.clientX - d.x), height: Math.round(d.h + e.clientY - d.y), save })
  }
  return (
    <div
      class="resize"
      title="Drag to resize"
      data-testid="resize"
      onPointerDown={(e) => {
        ;(e.target as HTMLElement).setPointerCapture(e.pointerId)
        drag.current = { x: e.clientX, y: e.clientY, w: window.innerWidth, h: window.innerHeight, frame: 0 }
      }}
      onPointerMove={(e) => {
        const d = drag.current
        if (!d || d.frame) return
        d.frame = requestAnimationFrame(() => {
          d.frame = 0
          send(e, false)
        })
      }}
      onPointerUp={(e) => {
        if (drag.current?.frame) cancelAnimationFrame(drag.current.frame)
        send(e, true)
        drag.current = null
      }}
    >
      <Icon name="resize" />
    </div>
  )
}

export function App() {
  const c = useLatentype()
  const main = useRef<HTMLElement>(null)
  const [width, setWidth] = useState(356)
  useEffect(() => {
    const el = main.current
    if (!el) return
    const obs = new ResizeObserver(() => setWidth(el.clientWidth - 24))
    obs.observe(el)
    return () => obs.disconnect()
  }, [])
  return (
    <div class="app">
      <Header c={c} />
      <main class="scroll" ref={main} data-testid="main">
        {c.error && (
          <Banner details={c.error.details} onDismiss={() => c.setError(null)}>
            {c.error.message}
          </Banner>
        )}
        {c.advanced && <Advanced c={c} />}
        <Body c={c} width={width} />
      </main>
      <Footer c={c} />
      <ResizeHandle />
    </div>
  )
}
