/** `npm run build` output: what Figma imports (manifest + dist/code.js + dist/ui.html), within the size limit. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlugin, chooseModels, FIGMA_LIMIT_BYTES, type BuildReport } from '../../scripts/build-plugin.js'
import { EDIT_COMMAND, QUICK_COMMAND, type MainMessage } from '../../plugin/protocol.js'
import { heInit } from '../../sdk/graph/layers.js'
import { buildModelFile } from '../../sdk/model/file.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { FakeFigma } from './fake-figma.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

describe('plugin build', () => {
  let tmp: string
  let report: BuildReport
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'latentype-build-'))
    report = await buildPlugin({ out: join(tmp, 'dist'), quiet: true })
  }, 120_000)
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('manifest.json is what Figma expects and matches the build and the protocol', () => {
    const m = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'))
    expect(m).toMatchObject({ api: '1.0.0', main: 'dist/code.js', ui: 'dist/ui.html', documentAccess: 'dynamic-page', networkAccess: { allowedDomains: ['none'] } })
    expect(typeof m.name).toBe('string')
    expect(typeof m.id).toBe('string')
    expect(m.editorType).toContain('figma')
    const commands = m.menu.map((i: { command: string }) => i.command)
    expect(commands).toContain(QUICK_COMMAND)
    const quick = m.menu.find((i: { command: string }) => i.command === QUICK_COMMAND)
    expect(quick.parameters.map((p: { key: string }) => p.key)).toEqual(['model', 'class', 'count'])
    expect(m.relaunchButtons).toEqual([{ command: EDIT_COMMAND, name: expect.any(String) }])
  })

  it('writes code.js + ui.html under Figma\'s 15 MB limit, with every payload inline', () => {
    expect(report.totalBytes).toBeLessThan(FIGMA_LIMIT_BYTES)
    const html = readFileSync(join(tmp, 'dist/ui.html'), 'utf8')
    expect(html.length).toBe(report.uiBytes)
    for (const id of ['lt-worker', 'lt-trace-worker', 'lt-ort-wasm', ...report.models.map((m) => `lt-model-${m.key}`)]) expect(html).toContain(`id="${id}"`)
    // Nothing may be fetched by URL inside Figma's null-origin iframe.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/)
    // The inline UI script must not contain a premature </script>.
    const last = html.lastIndexOf('<script>')
    expect(html.slice(last + 8, html.lastIndexOf('</script>')).toLowerCase()).not.toContain('</script')
  })

  it('built code.js runs against the fake Figma API with the model index read from the cards', async () => {
    const code = readFileSync(join(tmp, 'dist/code.js'), 'utf8')
    const figma = new FakeFigma({ command: 'open' })
    new Function('figma', '__html__', code)(figma, '<html>ui</html>')
    figma.run('open')
    expect(figma.shown).toMatchObject({ html: '<html>ui</html>', options: { themeColors: true } })
    await figma.fromUi({ type: 'ready' })
    const init = figma.posted[0] as Extract<MainMessage, { type: 'init' }>
    expect(init.type).toBe('init')
    expect(init.models.map((m) => m.kind).sort()).toEqual(['glyphs', 'icons'])
    for (const m of init.models) expect(m.classes.length).toBeGreaterThan(0)
    // Quick-action suggestions come from the same index.
    const suggestions = figma.input('class', 'hous', { model: 'icons' }).suggestions
    expect(suggestions[0]).toMatchObject({ data: 'home' })
    expect(String((suggestions[0] as { name: string }).name)).toMatch(/^home \(.*house/)
  })

  it('picks one model per kind, trained over demo', () => {
    const dir = join(tmp, 'models')
    mkdirSync(dir)
    const write = (file: string, name: string, kind: 'icons' | 'glyphs', trained: boolean): void => {
      const classes = [{ id: 0, label: 'x', synonyms: [] }]
      const card = { name, kind, classes, spec: resolveSpec('tiny', 1), attribution: [], metrics: trained ? { trained: 'yes' } : { trained: 'no' }, description: trained ? 'trained' : 'UNTRAINED stand-in' }
      writeFileSync(join(dir, file), buildModelFile(card, heInit(1)))
    }
    write('demo-icons.onnx', 'demo-icons', 'icons', false)
    write('icons.onnx', 'icons', 'icons', true)
    write('demo-glyphs.onnx', 'demo-glyphs', 'glyphs', false)
    writeFileSync(join(dir, 'broken.onnx'), 'not a model')
    expect(chooseModels(dir).map((p) => p.slice(dir.length + 1))).toEqual(['icons.onnx', 'demo-glyphs.onnx'])
  })
})
