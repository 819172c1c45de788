import { describe, expect, it } from 'vitest'
import { resolveSpec } from '../../sdk/model/spec.js'
import { activeDims, applyDirection, chipsThatFit, DEFAULT_INSERT, defaultClass, fillChoice, gridColumns, groupName, guessSelectionClass, matchedSynonym, modelFileError, moveFocus, normalizeName, parseSettings, searchClasses, slug, sliderOrder, styleNames, traceKey, variantData, variantName, type Variant } from '../../ui/state.js'
import type { ClassInfo } from '../../sdk/model/card.js'

const classes: ClassInfo[] = [
  { id: 0, label: 'heart', synonyms: ['love', 'favorite'] },
  { id: 1, label: 'home', synonyms: ['house'] },
  { id: 2, label: 'A', synonyms: [] },
  { id: 3, label: 'a', synonyms: [] },
  { id: 4, label: 'arrow-up', synonyms: [] },
  { id: 5, label: 'user', synonyms: ['person', 'account'] },
  { id: 6, label: 'search', synonyms: ['find', 'loupe', 'magnifying-glass', 'search-magnifying-glass'] },
  { id: 7, label: 'trash', synonyms: ['bin', 'delete', 'trash-can', 'trashcan'] },
  { id: 8, label: 'zoom-in', synonyms: ['magnifying-glass-plus'] },
  { id: 9, label: 'arrow-down', synonyms: [] },
]

describe('ui state helpers', () => {
  it('searches labels and synonyms: exact (case-sensitive) first, then prefix, then substring', () => {
    expect(searchClasses(classes, '').map((c) => c.label)).toEqual(classes.map((c) => c.label))
    expect(searchClasses(classes, 'hous').map((c) => c.label)).toEqual(['home'])
    expect(searchClasses(classes, 'a').map((c) => c.label)).toEqual(['a', 'A', 'arrow-up', 'arrow-down', 'user', 'heart', 'search', 'trash', 'zoom-in'])
    expect(searchClasses(classes, 'A')[0]!.label).toBe('A')
    expect(searchClasses(classes, 'LOVE').map((c) => c.label)).toEqual(['heart'])
    expect(searchClasses(classes, 'zzz')).toEqual([])
  })

  it('normalises spaces, hyphens and case: multi-word synonyms find their class, best match first', () => {
    expect(normalizeName(' Trash-can_ICON ')).toBe('trash can icon')
    expect(searchClasses(classes, 'magnifying glass').map((c) => c.label)).toEqual(['search', 'zoom-in'])
    expect(searchClasses(classes, 'Trash can').map((c) => c.label)).toEqual(['trash'])
    expect(searchClasses(classes, 'arrow up')[0]!.label).toBe('arrow-up')
    expect(searchClasses(classes, 'up arrow').map((c) => c.label)).toEqual(['arrow-up'])
    expect(searchClasses(classes, 'glass magn').map((c) => c.label)).toEqual(['search', 'zoom-in'])
    expect(searchClasses(classes, ' - ').length).toBe(classes.length)
    expect(matchedSynonym(classes[7]!, 'trash can')).toBe('trash-can')
    expect(matchedSynonym(classes[7]!, 'tra')).toBeNull()
    expect(matchedSynonym(classes[7]!, 'garb')).toBeNull()
    expect(matchedSynonym(classes[6]!, 'magnifying glass')).toBe('magnifying-glass')
  })

  it('fits chips in two rows, keeping room for the "+N more" note', () => {
    expect(chipsThatFit(['a', 'b'], 356)).toBe(2)
    const many = Array.from({ length: 100 }, (_, i) => `class-${i}`)
    const n = chipsThatFit(many, 356)
    expect(n).toBeGreaterThan(4)
    expect(n).toBeLessThan(20)
    expect(chipsThatFit(many, 700)).toBeGreaterThan(n)
  })

  it('orders sliders by KL, high first, and marks active dimensions', () => {
    expect(sliderOrder({ latentSize: 4 })).toEqual([0, 1, 2, 3])
    expect(sliderOrder({ latentSize: 4, latentKl: [0.2, 1.5, 0.001, 0.7] })).toEqual([1, 3, 0, 2])
    expect([...activeDims({ latentSize: 4, latentKl: [0.2, 1.5, 0.001, 0.7] })]).toEqual([1, 3, 0])
    expect([...styleNames({ latentSize: 4, latentKl: [0.2, 1.5, 0.001, 0.7] })]).toEqual([[1, 'Style 1'], [3, 'Style 2'], [0, 'Style 3'], [2, 'Style 4']])
  })

  it('a spatial latent: global dimensions lead as Style sliders, the grid follows as Detail, however high its KL', () => {
    // 16×16 image, two transposed convs → a 4×4 first map; 2 global + 1 channel × 16 cells
    const spec = resolveSpec({ ...resolveSpec('tiny', 4), latentSize: 2 + 16, spatialLatent: { channels: 1 } }, 4)
    const kl = [0.3, 0.9, ...Array.from({ length: 16 }, (_, i) => 2 + i / 100)]
    const card = { latentSize: 18, latentKl: kl, spec }
    expect(sliderOrder(card).slice(0, 3)).toEqual([1, 0, 17])
    expect([...activeDims(card)]).toEqual([1, 0])
    const names = styleNames(card)
    expect([names.get(1), names.get(0), names.get(17), names.get(2)]).toEqual(['Style 1', 'Style 2', 'Detail 1', 'Detail 16'])
  })

  it('moves a latent along a direction by the slider change only', () => {
    const d = { name: 'weight', label: 'Weight', vector: [1, 0, 0.5] }
    const z = applyDirection(Float32Array.from([0, 1, 2]), d, 0, 2)
    expect(Array.from(z)).toEqual([2, 1, 3])
    expect(Array.from(applyDirection(z, d, 2, 0))).toEqual([0, 1, 2])
  })

  it('names variants and groups as latentype/<model>/<class>/seed-<n>, or by their source', () => {
    const v = { class: classes[0]!, seed: 12 }
    expect(variantName('icons', v)).toBe('latentype/icons/heart/seed-12')
    expect(variantName('icons', { ...v, origin: `style-of-${slug('Heading / Title “A”')}` })).toBe('latentype/icons/heart/style-of-Heading-Title-A')
    expect(variantName('icons', { ...v, origin: 'seed-3-to-7-step-2' })).toBe('latentype/icons/heart/seed-3-to-7-step-2')
    expect(slug('  ')).toBe('selection')
    expect(groupName('icons', [v, v])).toBe('latentype/icons/heart')
    expect(groupName('glyphs', [{ class: classes[2]! }, { class: classes[3]! }])).toBe('latentype/glyphs/2-classes')
    const full: Variant = { id: 1, class: classes[0]!, seed: 3, temperature: 0.8, original: new Float32Array(2), latent: Float32Array.from([0.123456789, -1]), dirs: {}, bitmap: { width: 1, height: 1, data: new Float32Array(1) }, bitmapKey: '' }
    expect(variantData({ name: 'demo-icons' }, 'icons', full)).toEqual({ v: 1, model: 'demo-icons', modelKey: 'icons', class: 'heart', seed: 3, temperature: 0.8, latent: [0.12346, -1] })
  })

  it('moves grid focus with arrows within bounds', () => {
    expect(moveFocus(0, 'ArrowRight', 4, 8)).toBe(1)
    expect(moveFocus(1, 'ArrowDown', 4, 8)).toBe(5)
    expect(moveFocus(5, 'ArrowDown', 4, 8)).toBe(7)
    expect(moveFocus(0, 'ArrowUp', 4, 8)).toBe(0)
    expect(moveFocus(-1, 'ArrowLeft', 4, 8)).toBe(0)
    expect(moveFocus(3, 'End', 4, 8)).toBe(7)
    expect(moveFocus(0, 'ArrowRight', 4, 0)).toBe(-1)
  })

  it('guesses which class a selected node shows', () => {
    expect(guessSelectionClass(classes, { text: 'a', name: 'Text' })?.label).toBe('a')
    expect(guessSelectionClass(classes, { text: null, name: 'latentype/icons/home/seed-1' })?.label).toBe('home')
    expect(guessSelectionClass(classes, { text: null, name: 'Icon / house' })?.label).toBe('home')
    expect(guessSelectionClass(classes, { text: null, name: 'Frame 12', variantClass: 'user' })?.label).toBe('user')
    expect(guessSelectionClass(classes, { text: null, name: 'Frame 12' })).toBeNull()
  })

  it('keys traces by model, class and the exact latent bits', () => {
    const z = Float32Array.from([0.5, -1])
    expect(traceKey('icons', 1, z)).toBe(traceKey('icons', 1, z.slice()))
    expect(traceKey('icons', 1, z)).not.toBe(traceKey('icons', 2, z))
    expect(traceKey('icons', 1, z)).not.toBe(traceKey('glyphs', 1, z))
    expect(traceKey('icons', 1, z)).not.toBe(traceKey('icons', 1, Float32Array.from([0.5, -1.0000001])))
    expect(traceKey('icons', 1, new Float32Array(4).subarray(2))).toBe(traceKey('icons', 1, new Float32Array(2)))
  })

  it('reads stored settings defensively', () => {
    expect(parseSettings(null)).toEqual({ v: 1, model: null, models: {}, insert: DEFAULT_INSERT })
    expect(parseSettings('junk')).toEqual(parseSettings(null))
    const s = parseSettings({ model: 'glyphs', models: { glyphs: { class: 'B', count: 500, seed: 84582, temperature: 0.7 }, bad: { count: 3 } }, insert: { size: 20, fillMode: 'style', color: '#FF0000', styleId: 'S:1', asComponent: true } })
    expect(s.model).toBe('glyphs')
    expect(s.models).toEqual({ glyphs: { class: 'B', count: 8, seed: 84582, temperature: 0.7 } })
    expect(s.insert).toEqual({ size: 20, fillMode: 'style', color: '#ff0000', styleId: 'S:1', asComponent: true })
    expect(parseSettings({ insert: { size: -1, color: 'red', fillMode: 'x' } }).insert).toEqual(DEFAULT_INSERT)
  })

  it('chooses the fill: a style that exists, the selection\'s fill, else the colour', () => {
    const styles = [{ id: 'S:1', name: 'Brand', hex: '#ff0000' }]
    const ins = { ...DEFAULT_INSERT, color: '#123456' }
    expect(fillChoice(ins, styles, '#00ff00')).toEqual({ kind: 'color', hex: '#123456' })
    expect(fillChoice({ ...ins, fillMode: 'selection' }, styles, '#00ff00')).toEqual({ kind: 'color', hex: '#00ff00' })
    expect(fillChoice({ ...ins, fillMode: 'selection' }, styles, null)).toEqual({ kind: 'color', hex: '#123456' })
    expect(fillChoice({ ...ins, fillMode: 'style', styleId: 'S:1' }, styles, null)).toEqual({ kind: 'style', id: 'S:1' })
    expect(fillChoice({ ...ins, fillMode: 'style', styleId: 'S:gone' }, styles, null)).toEqual({ kind: 'color', hex: '#123456' })
  })

  it('opens on a familiar class, and lays the grid out in at least 4 columns', () => {
    expect(defaultClass(classes)!.label).toBe('heart')
    expect(defaultClass([{ id: 0, label: 'x', synonyms: [] }, { id: 1, label: 'A', synonyms: [] }])!.label).toBe('A')
    expect(defaultClass([])).toBeNull()
    expect(gridColumns(356)).toBe(4)
    expect(gridColumns(600)).toBe(7)
  })

  it('says what a bad model file is and what to do, with the technical message as details', () => {
    const junk = modelFileError('junk.onnx', '[NOT_ONNX] junk.onnx is not a readable ONNX model (unsupported wire type 4) — the file is truncated')
    expect(junk.message).toMatch(/“junk\.onnx” is not a model file latentype can read.*Open a \.onnx model made with latentype/)
    expect(junk.message).not.toMatch(/wire type/)
    expect(junk.details).toMatch(/^junk\.onnx is not a readable ONNX model \(unsupported wire type 4\)/)
    expect(modelFileError('m.onnx', '[NO_MODEL_CARD] m.onnx is an ONNX model without a latentype model card').message).toMatch(/not one made with latentype/)
    expect(modelFileError('m.onnx', '[SHAPE_MISMATCH] x').message).toMatch(/damaged/)
    expect(modelFileError('m.onnx', 'boom').message).toMatch(/could not be opened/)
  })
})
