/** The main thread's side of "style from selection": every selected drawing exported with its class hints. */
import { describe, expect, it } from 'vitest'
import { startPlugin } from '../../plugin/main.js'
import { LIMITS, PLUGIN_DATA_KEY, type MainMessage, type ModelInfo, type VariantData } from '../../plugin/protocol.js'
import { FakeFigma, FakeNode, type FakeOptions } from './fake-figma.js'

const models: ModelInfo[] = [{ key: 'glyphs', name: 'demo-glyphs', kind: 'glyphs', imageSize: 16, latentSize: 4, trained: false, classes: [{ label: 'A', synonyms: [] }] }]
const variant: VariantData = { v: 1, model: 'demo-glyphs', modelKey: 'glyphs', class: 'g', seed: 3, temperature: 1, latent: [0, 0, 0, 0] }

function open(o: FakeOptions = {}): FakeFigma {
  const figma = new FakeFigma(o)
  startPlugin({ figma, html: '', models })
  figma.run('open')
  return figma
}
const last = (f: FakeFigma): MainMessage => f.posted[f.posted.length - 1] as MainMessage
/** A node whose PNG export is its characters (or name) as bytes, so each export says what it shows. */
function node(type: string, name: string, chars?: string): FakeNode {
  const n = new FakeNode(type, name, 40, 50)
  if (chars !== undefined) n.characters = chars
  n.exportPng = function () {
    return new TextEncoder().encode(this.characters ?? this.name)
  }
  return n
}
const shown = (png: Uint8Array): string => new TextDecoder().decode(png)
type Drawings = Extract<MainMessage, { type: 'selection-png' }>
async function exportSelection(figma: FakeFigma, nodes: FakeNode[]): Promise<Drawings> {
  for (const n of nodes) figma.currentPage.append(n)
  figma.currentPage.selection = nodes
  await figma.fromUi({ type: 'export-selection', size: 256 })
  const m = last(figma)
  if (m.type !== 'selection-png') throw new Error(`expected selection-png, got ${JSON.stringify(m)}`)
  return m
}

describe('export-selection: every selected drawing, with class hints', () => {
  it('exports each selected layer in selection order; a text layer gives one drawing per character', async () => {
    const figma = open()
    const group = node('GROUP', 'My glyphs')
    const child = node('FRAME', 'latentype/demo-glyphs/g/seed-3')
    child.setPluginData(PLUGIN_DATA_KEY, JSON.stringify(variant))
    group.children = [child]
    const text = node('TEXT', 'Heading', 'A b')
    text.fontName = { family: 'Roboto', style: 'Bold' }
    const m = await exportSelection(figma, [text, node('TEXT', 'n', 'n'), node('FRAME', 'o'), group])
    expect(m.items.map((d) => ({ shows: shown(d.png), name: d.name, char: d.char, variantClass: d.variantClass }))).toEqual([
      { shows: 'A', name: 'Heading', char: 'A', variantClass: null },
      { shows: 'b', name: 'Heading', char: 'b', variantClass: null },
      { shows: 'n', name: 'n', char: 'n', variantClass: null },
      { shows: 'o', name: 'o', char: null, variantClass: null },
      { shows: 'My glyphs', name: 'My glyphs', char: null, variantClass: 'g' },
    ])
    expect(m.skipped).toBe(0)
    // the characters were drawn from copies in the layer's own font, which are gone again; the layer is unchanged
    expect(figma.loadedFonts).toEqual(['Roboto Bold'])
    expect(figma.currentPage.children.map((n) => n.name)).toEqual(['Heading', 'n', 'o', 'My glyphs'])
    expect(text.characters).toBe('A b')
  })

  it(`reads at most ${LIMITS.maxReferences} drawings and says how many were left out`, async () => {
    const figma = open()
    const m = await exportSelection(figma, [node('TEXT', 'abc', 'abcdefghij'), node('TEXT', 'klm', 'klmnopq'), node('FRAME', 'x'), node('FRAME', 'y')])
    expect(m.items.map((d) => shown(d.png)).join('')).toBe('abcdefghijklmnop')
    expect(m.skipped).toBe(3)
  })

  it('a text layer whose font cannot be loaded, or that mixes fonts, is exported whole (its class then unknown)', async () => {
    const figma = open({ missingFonts: ['Brand Sans'] })
    const missing = node('TEXT', 'Logo', 'Ab')
    missing.fontName = { family: 'Brand Sans', style: 'Regular' }
    const mixed = node('TEXT', 'Mixed', 'Cd')
    mixed.fontName = Symbol('mixed')
    const m = await exportSelection(figma, [missing, mixed])
    expect(m.items.map((d) => [shown(d.png), d.char])).toEqual([
      ['Ab', null],
      ['Cd', null],
    ])
    expect(figma.currentPage.children).toHaveLength(2)
  })

  it('a failing export names the layer (and the character) and leaves no copy behind', async () => {
    const figma = open()
    const text = node('TEXT', 'Title', 'AB')
    text.exportPng = function () {
      if (this.characters === 'B') throw new Error('too large')
      return new Uint8Array([1])
    }
    figma.currentPage.append(text)
    figma.currentPage.selection = [text]
    await figma.fromUi({ type: 'export-selection', size: 256 })
    expect(last(figma)).toEqual({ type: 'error', code: 'EXPORT_FAILED', message: 'could not export "B" of "Title": too large' })
    expect(figma.currentPage.children).toEqual([text])
    figma.currentPage.selection = []
    await figma.fromUi({ type: 'export-selection', size: 256 })
    expect(last(figma)).toMatchObject({ type: 'error', code: 'NO_SELECTION' })
  })

  it('exports the selection as it is when asked, not as it was when the plugin opened', async () => {
    const figma = open()
    figma.currentPage.selection = [node('FRAME', 'first')]
    const later = node('FRAME', 'later')
    figma.select([later])
    await figma.fromUi({ type: 'export-selection', size: 256 })
    expect((last(figma) as Drawings).items.map((d) => d.name)).toEqual(['later'])
  })
})
