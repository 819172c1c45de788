import { describe, expect, it } from 'vitest'
import { activeDims, applyDirection, groupName, guessSelectionClass, moveFocus, searchClasses, sliderOrder, variantData, variantName, type Variant } from '../../ui/state.js'
import type { ClassInfo } from '../../sdk/model/card.js'

const classes: ClassInfo[] = [
  { id: 0, label: 'heart', synonyms: ['love', 'favorite'] },
  { id: 1, label: 'home', synonyms: ['house'] },
  { id: 2, label: 'A', synonyms: [] },
  { id: 3, label: 'a', synonyms: [] },
  { id: 4, label: 'arrow-up', synonyms: [] },
  { id: 5, label: 'user', synonyms: ['person', 'account'] },
]

describe('ui state helpers', () => {
  it('searches labels and synonyms: exact (case-sensitive) first, then prefix, then substring', () => {
    expect(searchClasses(classes, '').map((c) => c.label)).toEqual(classes.map((c) => c.label))
    expect(searchClasses(classes, 'hous').map((c) => c.label)).toEqual(['home'])
    expect(searchClasses(classes, 'a').map((c) => c.label)).toEqual(['a', 'A', 'arrow-up', 'user', 'heart'])
    expect(searchClasses(classes, 'A')[0]!.label).toBe('A')
    expect(searchClasses(classes, 'LOVE').map((c) => c.label)).toEqual(['heart'])
    expect(searchClasses(classes, 'zzz')).toEqual([])
  })

  it('orders sliders by KL, high first, and marks active dimensions', () => {
    expect(sliderOrder({ latentSize: 4 })).toEqual([0, 1, 2, 3])
    expect(sliderOrder({ latentSize: 4, latentKl: [0.2, 1.5, 0.001, 0.7] })).toEqual([1, 3, 0, 2])
    expect([...activeDims({ latentSize: 4, latentKl: [0.2, 1.5, 0.001, 0.7] })]).toEqual([1, 3, 0])
  })

  it('moves a latent along a direction by the slider change only', () => {
    const d = { name: 'weight', label: 'Weight', vector: [1, 0, 0.5] }
    const z = applyDirection(Float32Array.from([0, 1, 2]), d, 0, 2)
    expect(Array.from(z)).toEqual([2, 1, 3])
    expect(Array.from(applyDirection(z, d, 2, 0))).toEqual([0, 1, 2])
  })

  it('names variants and groups as latentype/<model>/<class>/seed-<n>', () => {
    const v = { class: classes[0]!, seed: 12 }
    expect(variantName('icons', v)).toBe('latentype/icons/heart/seed-12')
    expect(variantName('icons', { ...v, origin: 'style' })).toBe('latentype/icons/heart/seed-12-style')
    expect(groupName('icons', [v, v])).toBe('latentype/icons/heart')
    expect(groupName('glyphs', [{ class: classes[2]! }, { class: classes[3]! }])).toBe('latentype/glyphs/2-classes')
    const full: Variant = { id: 1, class: classes[0]!, seed: 3, temperature: 0.8, original: new Float32Array(2), latent: Float32Array.from([0.123456789, -1]), dirs: {}, bitmap: { width: 1, height: 1, data: new Float32Array(1) } }
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
})
