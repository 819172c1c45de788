/**
 * The main thread's side of the quick action (latentype → Generate… with parameters, no visible UI): it must
 * always end — closed with a notification — whether the hidden UI inserts, reports a failure, sends something
 * invalid, or never answers (the 2-minute timeout). Also export failures and a selected inserted group.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startPlugin } from '../../plugin/main.js'
import { PLUGIN_DATA_KEY, QUICK_COMMAND, type MainMessage, type ModelInfo, type VariantData } from '../../plugin/protocol.js'
import { traceToSvg } from '../../sdk/image/trace.js'
import { FakeFigma, FakeNode } from './fake-figma.js'

const models: ModelInfo[] = [
  { key: 'icons', name: 'demo-icons', kind: 'icons', imageSize: 16, latentSize: 4, trained: false, classes: [{ label: 'heart', synonyms: ['love'] }, { label: 'bell', synonyms: [] }] },
]
const data = (seed: number): VariantData => ({ v: 1, model: 'demo-icons', modelKey: 'icons', class: 'heart', seed, temperature: 1, latent: [0.5, -1, 0, 2] })
const disc = (): string => {
  const d = new Float32Array(16 * 16)
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) d[y * 16 + x] = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 25 ? 1 : 0
  return traceToSvg({ width: 16, height: 16, data: d })
}
const insertMsg = (seeds: number[], closeAfter = true) => ({
  type: 'insert',
  items: seeds.map((s) => ({ name: `latentype/demo-icons/heart/seed-${s}`, svg: disc(), data: data(s) })),
  size: 48,
  columns: seeds.length,
  groupName: 'latentype/demo-icons/heart',
  closeAfter,
})

function quick(): FakeFigma {
  const figma = new FakeFigma()
  startPlugin({ figma, html: '<html/>', models, random: () => 0.5 })
  figma.run(QUICK_COMMAND, { model: 'icons', class: 'bell', count: '3' })
  return figma
}
const last = (f: FakeFigma): MainMessage => f.posted[f.posted.length - 1] as MainMessage

afterEach(() => {
  vi.useRealTimers()
})

describe('quick action: every run ends', () => {
  it('times out after 2 minutes when the hidden UI never answers: error notification, plugin closed', async () => {
    vi.useFakeTimers()
    const figma = quick()
    expect(figma.shown?.options).toEqual({ visible: false })
    await vi.advanceTimersByTimeAsync(119_000)
    expect(figma.closed).toBe(false)
    expect(figma.notifications).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(figma.closed).toBe(true)
    expect(figma.notifications).toEqual([{ message: 'latentype: generation timed out', error: true }])
    expect(figma.currentPage.children).toHaveLength(0)
  })

  it('a run that inserts in time cancels the timeout (one notification, not a late error)', async () => {
    vi.useFakeTimers()
    const figma = quick()
    figma.ui.onmessage?.({ type: 'ready' }, { origin: 'null' })
    await vi.advanceTimersByTimeAsync(1)
    expect(last(figma)).toEqual({ type: 'quick-generate', modelKey: 'icons', class: 'bell', count: 3, seed: 500000, settings: null })
    figma.ui.onmessage?.(insertMsg([500000, 500001, 500002]), { origin: 'null' })
    await vi.advanceTimersByTimeAsync(1)
    expect(figma.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(figma.notifications).toEqual([{ message: 'Inserted 3 × heart', error: false }])
    expect(figma.currentPage.children).toHaveLength(1)
  })

  it('the UI reports a failure (quick-failed): error notification with its message, plugin closed, nothing inserted', async () => {
    vi.useFakeTimers()
    const figma = quick()
    figma.ui.onmessage?.({ type: 'quick-failed', message: 'could not open the icons model: out of memory' }, { origin: 'null' })
    await vi.advanceTimersByTimeAsync(1)
    expect(figma.closed).toBe(true)
    expect(figma.notifications).toEqual([{ message: 'latentype: could not open the icons model: out of memory', error: true }])
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(figma.notifications).toHaveLength(1) // the timeout was cancelled
  })

  it('an insert that fails on the main thread during a quick run: rolled back, error notification, closed', async () => {
    const figma = new FakeFigma({ failSvgAt: 2 })
    startPlugin({ figma, html: '<html/>', models, random: () => 0.5 })
    figma.run(QUICK_COMMAND, { model: 'icons', class: 'heart', count: '3' })
    await figma.fromUi(insertMsg([1, 2, 3]))
    expect(figma.currentPage.children).toHaveLength(0)
    expect(figma.closed).toBe(true)
    expect(figma.notifications).toEqual([{ message: expect.stringMatching(/^latentype: .*nothing was added/), error: true }])
  })

  it('an invalid message from the hidden UI also ends the run', async () => {
    const figma = quick()
    await figma.fromUi({ type: 'insert', items: [], size: 48, columns: 1, groupName: 'g', closeAfter: true })
    expect(figma.closed).toBe(true)
    expect(figma.notifications[0]).toMatchObject({ error: true })
  })

  it('out-of-range counts are refused before any UI is shown', () => {
    for (const count of ['0', '65', '2.5', 'many']) {
      const figma = new FakeFigma()
      startPlugin({ figma, html: '<html/>', models })
      figma.run(QUICK_COMMAND, { model: 'icons', class: 'heart', count })
      expect(figma.shown, count).toBeNull()
      expect(figma.closed).toBe(true)
      expect(figma.notifications[0]).toEqual({ message: 'latentype: count must be from 1 to 64', error: true })
    }
  })
})

describe('selection paths', () => {
  it('an export that fails → EXPORT_FAILED naming the node, and the plugin stays open', async () => {
    const figma = new FakeFigma()
    startPlugin({ figma, html: '', models })
    figma.run('open')
    const node = new FakeNode('FRAME', 'Logo', 200, 100) // exportPng null: exportAsync throws
    figma.currentPage.append(node)
    figma.currentPage.selection = [node]
    await figma.fromUi({ type: 'export-selection', size: 256 })
    expect(last(figma)).toEqual({ type: 'error', code: 'EXPORT_FAILED', message: 'could not export "Logo": this node cannot be exported' })
    expect(figma.closed).toBe(false)
    expect(figma.notifications).toEqual([])
  })

  it('selecting an inserted group reports the group and the variant stored on its children', async () => {
    const figma = new FakeFigma()
    startPlugin({ figma, html: '', models })
    figma.run('open')
    await figma.fromUi(insertMsg([4, 5], false))
    const group = figma.currentPage.children[0]!
    expect(group.type).toBe('GROUP')
    expect(figma.currentPage.selection).toEqual([group])
    figma.select([group as FakeNode])
    // a group is not replaceable in place (only one latentype frame or component is); its vectors' fill is read
    expect(last(figma)).toEqual({ type: 'selection', selection: { count: 1, name: 'latentype/demo-icons/heart', text: null, variant: data(4), replaceable: null, fill: '#000000' } })
    // the group itself carries no plugin data; the first child with valid data answers
    expect(group.getPluginData(PLUGIN_DATA_KEY)).toBe('')
    group.children[0]!.setPluginData(PLUGIN_DATA_KEY, '{broken')
    figma.select([group as FakeNode])
    expect(last(figma)).toMatchObject({ type: 'selection', selection: { variant: data(5) } })
  })
})
