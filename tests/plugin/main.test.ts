import { describe, expect, it } from 'vitest'
import { traceToSvg } from '../../sdk/image/trace.js'
import { startPlugin as start, STORAGE } from '../../plugin/main.js'
import { EDIT_COMMAND, PLUGIN_DATA_KEY, QUICK_COMMAND, type MainMessage, type ModelInfo, type VariantData } from '../../plugin/protocol.js'
import { FakeFigma, FakeNode, type FakeOptions } from './fake-figma.js'

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

const startPlugin = start

function open(command = 'open', o: FakeOptions = {}): FakeFigma {
  const figma = new FakeFigma({ command, ...o })
  startPlugin({ figma, html: '<html></html>', models, random: () => 0.5 })
  figma.run(command)
  return figma
}

const red = { type: 'SOLID', color: { r: 1, g: 0, b: 0 } }
const vectorsOf = (n: FakeNode): FakeNode[] => n.children.filter((c) => c.type === 'VECTOR')

const last = (f: FakeFigma): MainMessage => f.posted[f.posted.length - 1] as MainMessage

describe('plugin main thread', () => {
  it('opens the UI with Figma theme colours and answers ready with init (models from the cards)', async () => {
    const figma = open()
    expect(figma.shown?.options).toMatchObject({ themeColors: true, width: expect.any(Number) })
    await figma.fromUi({ type: 'ready' })
    expect(last(figma)).toMatchObject({ type: 'init', models, selection: { count: 0 }, edit: null, settings: null, styles: [], window: { width: 380, height: 640 } })
  })

  it('remembers settings and the window size in figma.clientStorage and hands them back on the next opening', async () => {
    const figma = open()
    await figma.fromUi({ type: 'save-settings', settings: { lastModel: 'glyphs', models: { glyphs: { class: 'B', seed: 12 } } } })
    await figma.fromUi({ type: 'resize', width: 420, height: 700 })
    expect(figma.resizes).toEqual([{ width: 420, height: 700 }])
    expect(figma.storage.has(STORAGE.window)).toBe(false)
    await figma.fromUi({ type: 'resize', width: 10_000, height: 100, save: true })
    expect(figma.resizes[1]).toEqual({ width: 1200, height: 480 })

    const again = new FakeFigma({ command: 'open', storage: Object.fromEntries(figma.storage) })
    startPlugin({ figma: again, html: '', models })
    await new Promise((r) => setTimeout(r, 0))
    again.run('open')
    expect(again.shown?.options).toMatchObject({ width: 1200, height: 480 })
    await again.fromUi({ type: 'ready' })
    expect(last(again)).toMatchObject({ type: 'init', settings: { lastModel: 'glyphs', models: { glyphs: { class: 'B', seed: 12 } } }, window: { width: 1200, height: 480 } })
  })

  it('opens at the default size and resizes once storage answers, when it answers late', async () => {
    const figma = new FakeFigma({ command: 'open', storage: { [STORAGE.window]: { width: 500, height: 800 } } })
    startPlugin({ figma, html: '', models })
    figma.run('open')
    expect(figma.shown?.options).toMatchObject({ width: 380, height: 640 })
    await new Promise((r) => setTimeout(r, 0))
    expect(figma.resizes).toEqual([{ width: 500, height: 800 }])
  })

  it('lists the document\'s solid colour styles in init', async () => {
    const figma = open('open', { paintStyles: [{ id: 'S:1', name: 'Brand/Primary', paints: [red] }, { id: 'S:2', name: 'Gradient', paints: [{ type: 'GRADIENT_LINEAR' }] }] })
    await figma.fromUi({ type: 'ready' })
    expect(last(figma)).toMatchObject({ type: 'init', styles: [{ id: 'S:1', name: 'Brand/Primary', hex: '#ff0000' }] })
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
    expect(last(figma)).toMatchObject({ type: 'inserted', count: 3, groupName: 'latentype/demo-icons/heart', replaced: false })
    // Transient news is a Figma toast, not a banner in the UI.
    expect(figma.notifications).toEqual([{ message: 'Inserted 3 × heart', error: false }])
  })

  it('inserts at whole-pixel positions and sizes, in the chosen colour', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [item(1), item(2), item(3)], size: 20, columns: 3, groupName: 'g', fill: { kind: 'color', hex: '#FF0000' } })
    const group = figma.currentPage.children[0]!
    for (const [i, child] of group.children.entries()) {
      expect([child.width, child.height]).toEqual([20, 20])
      expect(child.x).toBe(i * 25)
      expect(Number.isInteger(child.y)).toBe(true)
      expect(vectorsOf(child)[0]!.fills).toEqual([red])
    }
    expect(Number.isInteger(group.x) && Number.isInteger(group.y)).toBe(true)
  })

  it('one variant is inserted on its own (no group), black by default', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [item(4)], size: 24, columns: 1, groupName: 'g' })
    const [node] = figma.currentPage.children
    expect(figma.currentPage.children).toHaveLength(1)
    expect(node!.type).toBe('FRAME')
    expect(node!.name).toBe('latentype/demo-icons/heart/seed-4')
    expect(vectorsOf(node!)[0]!.fills).toEqual([{ type: 'SOLID', color: { r: 0, g: 0, b: 0 } }])
    expect(figma.currentPage.selection).toEqual([node])
    expect(figma.notifications[0]!.message).toBe('Inserted heart')
  })

  it('inserts in a colour style, as components', async () => {
    const figma = open('open', { paintStyles: [{ id: 'S:1', name: 'Brand', paints: [red] }] })
    await figma.fromUi({ type: 'insert', items: [item(1), item(2)], size: 32, columns: 2, groupName: 'g', fill: { kind: 'style', id: 'S:1' }, asComponent: true })
    const group = figma.currentPage.children[0]!
    expect(group.children.map((c) => c.type)).toEqual(['COMPONENT', 'COMPONENT'])
    for (const c of group.children) {
      expect(c.width).toBe(32)
      expect(vectorsOf(c)[0]!.fillStyleId).toBe('S:1')
      expect(JSON.parse(c.getPluginData(PLUGIN_DATA_KEY))).toMatchObject({ class: 'heart' })
      expect(Object.keys(c.relaunchData)).toEqual([EDIT_COMMAND])
    }
    expect(figma.undoCommits).toBe(1)
  })

  it('a colour style that is gone fails the insert and leaves nothing behind', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [item(1), item(2)], size: 32, columns: 2, groupName: 'g', fill: { kind: 'style', id: 'S:404' } })
    expect(figma.currentPage.children).toHaveLength(0)
    expect(figma.undoCommits).toBe(0)
    expect(last(figma)).toMatchObject({ type: 'error', code: 'INSERT_FAILED', message: expect.stringContaining('nothing was added') })
  })

  describe('replace in place', () => {
    async function placed(type: 'FRAME' | 'COMPONENT'): Promise<{ figma: FakeFigma; frame: FakeNode; old: FakeNode; sibling: FakeNode }> {
      const figma = open()
      // One of ours, rescaled and recoloured by the designer, inside a frame between two siblings.
      await figma.fromUi({ type: 'insert', items: [item(1)], size: 48, columns: 1, groupName: 'g', asComponent: type === 'COMPONENT' })
      const old = figma.currentPage.children[0]!
      const frame = figma.node('FRAME', 'Card', 400, 400)
      figma.currentPage.append(frame)
      const sibling = figma.node('TEXT', 'Label', 50, 10)
      frame.appendChild(sibling)
      frame.insertChild(0, old)
      frame.appendChild(figma.node('RECTANGLE', 'Bg', 10, 10))
      old.rescale(36 / 48)
      old.x = 17
      old.y = 23
      vectorsOf(old)[0]!.fills = [red]
      figma.select([old])
      return { figma, frame, old, sibling }
    }

    it('keeps parent, layer order, position, size and fill; one undo step', async () => {
      const { figma, frame, old } = await placed('FRAME')
      const sel = (last(figma) as Extract<MainMessage, { type: 'selection' }>).selection
      expect(sel).toMatchObject({ replaceable: { id: old.id, type: 'FRAME', width: 36, height: 36 }, fill: '#ff0000' })
      const undo = figma.undoCommits
      await figma.fromUi({ type: 'insert', items: [item(9, discSvg(7))], size: 16, columns: 1, groupName: 'g', fill: { kind: 'color', hex: '#00ff00' }, replaceId: old.id })
      expect(old.removed).toBe(true)
      const now = frame.children[0]!
      expect(frame.children.map((c) => c.name)).toEqual(['latentype/demo-icons/heart/seed-9', 'Label', 'Bg'])
      expect([now.type, now.x, now.y, now.width, now.height]).toEqual(['FRAME', 17, 23, 36, 36])
      expect(vectorsOf(now)[0]!.fills).toEqual([red])
      expect(vectorsOf(now)[0]!.path).toBe(/d="([^"]*)"/.exec(discSvg(7))![1])
      expect(JSON.parse(now.getPluginData(PLUGIN_DATA_KEY)).seed).toBe(9)
      expect(figma.currentPage.selection).toEqual([now])
      expect(figma.undoCommits).toBe(undo + 1)
      expect(last(figma)).toMatchObject({ type: 'inserted', replaced: true })
      expect(figma.notifications.at(-1)!.message).toBe('Replaced with heart · seed 9')
    })

    it('a component keeps its identity (its instances update): only its vectors are swapped', async () => {
      const { figma, frame, old } = await placed('COMPONENT')
      await figma.fromUi({ type: 'insert', items: [item(9, discSvg(7))], size: 16, columns: 1, groupName: 'g', replaceId: old.id })
      expect(old.removed).toBe(false)
      expect(frame.children[0]).toBe(old)
      expect([old.x, old.y, old.width]).toEqual([17, 23, 36])
      expect(vectorsOf(old)).toHaveLength(1)
      expect(vectorsOf(old)[0]!.path).toBe(/d="([^"]*)"/.exec(discSvg(7))![1])
      expect(vectorsOf(old)[0]!.fills).toEqual([red])
      expect(vectorsOf(old)[0]!.width).toBeCloseTo(36)
      expect(old.name).toBe('latentype/demo-icons/heart/seed-9')
      // No stray frame left on the page.
      expect(figma.currentPage.children).toEqual([frame])
    })

    it('refuses a node that is not ours or is gone, changing nothing', async () => {
      const { figma, frame, old } = await placed('FRAME')
      await figma.fromUi({ type: 'insert', items: [item(9)], size: 16, columns: 1, groupName: 'g', replaceId: frame.id })
      expect(last(figma)).toMatchObject({ type: 'error', code: 'INSERT_FAILED', message: expect.stringContaining('nothing was changed') })
      old.remove()
      await figma.fromUi({ type: 'insert', items: [item(9)], size: 16, columns: 1, groupName: 'g', replaceId: old.id })
      expect(last(figma)).toMatchObject({ type: 'error', code: 'INSERT_FAILED' })
      expect(frame.children.map((c) => c.name)).toEqual(['Label', 'Bg'])
    })

    it('a failed build leaves the original in place', async () => {
      const figma = new FakeFigma({ failSvgAt: 2 })
      startPlugin({ figma, html: '', models })
      figma.run('open')
      await figma.fromUi({ type: 'insert', items: [item(1)], size: 48, columns: 1, groupName: 'g' })
      const old = figma.currentPage.children[0]!
      await figma.fromUi({ type: 'insert', items: [item(2)], size: 48, columns: 1, groupName: 'g', replaceId: old.id })
      expect(figma.currentPage.children).toEqual([old])
      expect(old.removed).toBe(false)
      expect(figma.undoCommits).toBe(1)
    })
  })

  it('sanitises names', async () => {
    const figma = open()
    await figma.fromUi({ type: 'insert', items: [{ ...item(1), name: 'latentype/<script>\u0000/x' }, item(2)], size: 24, columns: 1, groupName: '' })
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
    ['bad colour', { type: 'insert', items: [item(1)], size: 24, columns: 1, groupName: 'g', fill: { kind: 'color', hex: 'red; x' } }],
    ['replace with two items', { type: 'insert', items: [item(1), item(2)], size: 24, columns: 1, groupName: 'g', replaceId: '1:1' }],
    ['settings not an object', { type: 'save-settings', settings: [1, 2] }],
    ['settings too big', { type: 'save-settings', settings: { x: 'y'.repeat(70_000) } }],
    ['resize with NaN', { type: 'resize', width: NaN, height: 600 }],
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
    expect(last(figma)).toEqual({ type: 'selection', selection: { count: 1, name: 'A', text: 'A', variant: null, replaceable: null, fill: '#000000' } })
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
    expect(last(figma)).toEqual({ type: 'selection-png', items: [{ name: 'A', png: new Uint8Array([137, 80, 78, 71]), char: null, variantClass: null }], skipped: 0 })
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
      expect(last(figma)).toEqual({ type: 'quick-generate', modelKey: 'icons', class: 'heart', count: 2, seed: 123000, settings: null })
      await figma.fromUi({ type: 'insert', items: [item(1), item(2)], size: 48, columns: 2, groupName: 'latentype/demo-icons/heart', closeAfter: true })
      expect(figma.currentPage.children[0]!.children).toHaveLength(2)
      expect(figma.closed).toBe(true)
      expect(figma.notifications[0]!.message).toBe('Inserted 2 × heart')
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
