import { describe, expect, it } from 'vitest'
import { traceToSvg } from '../../sdk/image/trace.js'
import { startPlugin } from '../../plugin/main.js'
import { EDIT_COMMAND, PLUGIN_DATA_KEY, QUICK_COMMAND, type MainMessage, type ModelInfo, type VariantData } from '../../plugin/protocol.js'
import { FakeFigma, FakeNode } from './fake-figma.js'

const models: ModelInfo[] = [
  { key: 'icons', name: 'demo-icons', kind: 'icons', imageSize: 16, latentSize: 4, trained: false, classes: [{ label: 'heart', synonyms: ['love'] }, { label: 'home', synonyms: ['house'] }] },
  { key: 'glyphs', name: 'demo-glyphs', kind: 'glyphs', imageSize: 16, latentSize: 4, trained: false, classes: [{ label: 'A', synonyms: [] }, { label: 'a', synonyms: [] }] },
]

function discSvg(r = 5): string {
  const data = new Float32Array(16 * 16)
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) data[y * 16 + x] = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= r * r ? 1 : 0
  return traceToSvg({ width: 16, height: 16, data })
}

const variant = (seed: number): VariantData => ({ v: 1, model: 'demo-icons', modelKey: 'icons', class: 'heart', seed, temperature: 1, latent: [0.5, -1, 0, 2] })
const item = (seed: number, svg = discSvg()) => ({ name: `latentype/demo-icons/heart/seed-${seed}`, svg, data: variant(seed) })

function open(command = 'open'): FakeFigma {
  const figma = new FakeFigma({ command })
  startPlugin({ figma, html: '<html></html>', models, random: () => 0.5 })
  figma.run(command)
  return figma
}

const last = (f: FakeFigma): MainMessage => f.posted[f.posted.length - 1] as MainMessage

describe('plugin main thread', () => {
  it('opens the UI with Figma theme colours and answers ready with init (models from the cards)', async () => {
    const figma = open()
    expect(figma.shown?.options).toMatchObject({ themeColors: true, width: expect.any(Number) })
    await figma.fromUi({ type: 'ready' })
    expect(last(figma)).toMatchObject({ type: 'init', models, selection: { count: 0 }, edit: null })
  })

  it('insert creates one named group at the viewport centre with named, scaled children, plugin data and relaunch data', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [item(1), item(2), item(3)], size: 48, columns: 2, groupName: 'latentype/demo-icons/heart' })
    const [group] = figma.currentPage.children
    expect(figma.currentPage.children).toHaveLength(1)
    expect(group!.type).toBe('GROUP')
    expect(group!.name).toBe('latentype/demo-icons/heart')
    expect(group!.children.map((c) => c.name)).toEqual(['latentype/demo-icons/heart/seed-1', 'latentype/demo-icons/heart/seed-2', 'latentype/demo-icons/heart/seed-3'])
    for (const child of group!.children) {
      expect(child.width).toBeCloseTo(48)
      expect(child.fills).toEqual([])
      expect(child.children[0]!.type).toBe('VECTOR')
      expect(JSON.parse(child.getPluginData(PLUGIN_DATA_KEY))).toEqual(variant(Number(child.name.split('-').pop())))
      expect(Object.keys(child.relaunchData)).toEqual([EDIT_COMMAND])
    }
    expect(group!.children[1]!.x).toBeGreaterThan(group!.children[0]!.x)
    expect(group!.children[2]!.y).toBeGreaterThan(group!.children[0]!.y)
    expect(group!.x + group!.width / 2).toBeCloseTo(1000, 0)
    expect(group!.y + group!.height / 2).toBeCloseTo(500, 0)
    expect(figma.currentPage.selection).toEqual([group])
    expect(figma.scrolledTo).toEqual([group])
    expect(figma.undoCommits).toBe(1)
    expect(last(figma)).toMatchObject({ type: 'inserted', count: 3, groupName: 'latentype/demo-icons/heart' })
  })

  it('sanitises names', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [{ ...item(1), name: 'latentype/<script>\u0000/x' }], size: 24, columns: 1, groupName: '' })
    const group = figma.currentPage.children[0]!
    expect(group.children[0]!.name).toBe('latentype/-script-/x')
    expect(group.name).toBe('latentype')
  })

  const invalid: [string, unknown][] = [
    ['not an object', 'insert'],
    ['unknown type', { type: 'delete-everything' }],
    ['no items', { type: 'insert', items: [], size: 24, columns: 1, groupName: 'g' }],
    ['too many items', { type: 'insert', items: Array.from({ length: 257 }, (_, i) => item(i)), size: 24, columns: 1, groupName: 'g' }],
    ['size too big', { type: 'insert', items: [item(1)], size: 1e9, columns: 1, groupName: 'g' }],
    ['NaN size', { type: 'insert', items: [item(1)], size: NaN, columns: 1, groupName: 'g' }],
    ['foreign svg (script)', { type: 'insert', items: [{ ...item(1), svg: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' }], size: 24, columns: 1, groupName: 'g' }],
    ['svg with image', { type: 'insert', items: [{ ...item(1), svg: discSvg().replace('<path', '<image href="http://x"/><path') }], size: 24, columns: 1, groupName: 'g' }],
    ['relative path commands', { type: 'insert', items: [{ ...item(1), svg: discSvg().replace(/d="M/, 'd="m') }], size: 24, columns: 1, groupName: 'g' }],
    ['blank path', { type: 'insert', items: [{ ...item(1), svg: discSvg(0) }], size: 24, columns: 1, groupName: 'g' }],
    ['bad latent', { type: 'insert', items: [{ ...item(1), data: { ...variant(1), latent: [NaN] } }], size: 24, columns: 1, groupName: 'g' }],
    ['huge svg', { type: 'insert', items: [{ ...item(1), svg: discSvg().replace('d="M', `d="${'M 1 1 '.repeat(100_000)}M`) }], size: 24, columns: 1, groupName: 'g' }],
    ['export size out of range', { type: 'export-selection', size: 100_000 }],
  ]
  for (const [what, msg] of invalid) {
    it(`rejects an invalid message (${what}) and changes nothing`, async () => {
      const figma = open()
      await figma.fromUi(msg)
      expect(figma.currentPage.children).toHaveLength(0)
      expect(figma.undoCommits).toBe(0)
      expect(last(figma)).toMatchObject({ type: 'error', code: expect.stringMatching(/BAD_MESSAGE|BAD_SVG/) })
    })
  }

  it('rolls back every built node when an insert fails half way', async () => {
    const figma = new FakeFigma({ failSvgAt: 3 })
    startPlugin({ figma, html: '', models })
    figma.run('open')
    await figma.fromUi({ type: 'insert', items: [item(1), item(2), item(3), item(4)], size: 24, columns: 4, groupName: 'g' })
    expect(figma.currentPage.children).toHaveLength(0)
    expect(figma.undoCommits).toBe(0)
    expect(last(figma)).toMatchObject({ type: 'error', code: 'INSERT_FAILED', message: expect.stringContaining('nothing was added') })
  })

  it('reports the selection, and sends an edit request for one of our nodes on the relaunch command', async () => {
    const figma = new FakeFigma()
    startPlugin({ figma, html: '', models })
    const node = new FakeNode('FRAME', 'latentype/demo-icons/heart/seed-7', 48, 48)
    node.setPluginData(PLUGIN_DATA_KEY, JSON.stringify(variant(7)))
    figma.currentPage.append(node)
    figma.currentPage.selection = [node]
    figma.run(EDIT_COMMAND)
    await figma.fromUi({ type: 'ready' })
    expect(last(figma)).toMatchObject({ type: 'init', command: EDIT_COMMAND, edit: variant(7), selection: { count: 1, variant: variant(7) } })
    const text = new FakeNode('TEXT', 'A', 40, 50)
    text.characters = 'A'
    figma.select([text])
    expect(last(figma)).toEqual({ type: 'selection', selection: { count: 1, name: 'A', text: 'A', variant: null } })
  })

  it('exports the selection as PNG for style transfer, longer side = requested size', async () => {
    const figma = open()
    await figma.fromUi({ type: 'export-selection', size: 128 })
    expect(last(figma)).toMatchObject({ type: 'error', code: 'NO_SELECTION' })
    const node = new FakeNode('TEXT', 'A', 40, 50)
    let asked: unknown
    node.exportAsync = async (s?: unknown) => ((asked = s), new Uint8Array([137, 80, 78, 71]))
    figma.currentPage.append(node)
    figma.currentPage.selection = [node]
    await figma.fromUi({ type: 'export-selection', size: 128 })
    expect(asked).toEqual({ format: 'PNG', constraint: { type: 'HEIGHT', value: 128 } })
    expect(last(figma)).toMatchObject({ type: 'selection-png', name: 'A', png: new Uint8Array([137, 80, 78, 71]) })
  })

  describe('quick action (figma.parameters)', () => {
    it('suggests models, classes by label or synonym, and counts', () => {
      const figma = open()
      expect(figma.input('model', 'ic').suggestions).toEqual([{ name: 'icons (demo-icons)', data: 'icons' }])
      expect(figma.input('class', 'hou', { model: 'icons' }).suggestions).toEqual([{ name: 'home (house)', data: 'home' }])
      expect(figma.input('class', 'a', { model: 'glyphs' }).suggestions.map((s) => (s as { data: string }).data)).toEqual(['a', 'A'])
      expect(figma.input('count', '').suggestions).toContain('8')
      expect(figma.input('count', 'lots').error).toMatch(/whole number/)
    })

    it('runs hidden, asks the UI to generate, inserts what it sends back and closes', async () => {
      const figma = new FakeFigma()
      startPlugin({ figma, html: '<html/>', models, random: () => 0.123 })
      figma.run(QUICK_COMMAND, { model: 'icons', class: 'heart', count: '2' })
      expect(figma.shown?.options).toEqual({ visible: false })
      await figma.fromUi({ type: 'ready' })
      expect(last(figma)).toEqual({ type: 'quick-generate', modelKey: 'icons', class: 'heart', count: 2, seed: 123000 })
      await figma.fromUi({ type: 'insert', items: [item(1), item(2)], size: 48, columns: 2, groupName: 'latentype/demo-icons/heart', closeAfter: true })
      expect(figma.currentPage.children[0]!.children).toHaveLength(2)
      expect(figma.closed).toBe(true)
      expect(figma.notifications[0]!.message).toMatch(/inserted 2 × heart/)
    })

    it('closes with an error for an unknown class', () => {
      const figma = new FakeFigma()
      startPlugin({ figma, html: '', models })
      figma.run(QUICK_COMMAND, { model: 'icons', class: 'hart' })
      expect(figma.closed).toBe(true)
      expect(figma.notifications[0]).toMatchObject({ error: true, message: expect.stringContaining('unknown icons class') })
    })
  })
})
