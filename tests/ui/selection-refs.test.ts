/** Which class each selected drawing is read as, and the names and messages of a style from selection. */
import { describe, expect, it } from 'vitest'
import type { ClassInfo } from '../../sdk/model/card.js'
import type { SelectionDrawing } from '../../plugin/protocol.js'
import { drawingClasses, styleMessage, styleSource } from '../../ui/selection-refs.js'

const classes: ClassInfo[] = ['A', 'g', '1', 'o', 'heart', 'home'].map((label, id) => ({ id, label, synonyms: label === 'home' ? ['house'] : label === 'heart' ? ['love'] : [] }))
const by = (l: string): ClassInfo => classes.find((c) => c.label === l)!
const d = (name: string, o: Partial<SelectionDrawing> = {}): SelectionDrawing => ({ png: new Uint8Array(), name, char: null, variantClass: null, ...o })

describe('drawingClasses', () => {
  it('reads the stored variant, the character, or a label or synonym in the layer name', () => {
    const read = drawingClasses(classes, [d('My icons', { variantClass: 'heart' }), d('Ag', { char: 'g' }), d('icons/house'), d('o')], by('A'))
    expect(read.map((r) => [r.cls.label, r.guessed])).toEqual([
      ['heart', true],
      ['g', true],
      ['home', true],
      ['o', true],
    ])
  })

  it('falls back to the picked class, marked as not guessed, when the layer does not say (Figma default names do not count)', () => {
    const read = drawingClasses(classes, [d('Vector 1'), d('Rectangle 1'), d('Shape'), d('Logo', { char: 'Q' })], by('o'))
    expect(read.map((r) => [r.cls.label, r.guessed])).toEqual([
      ['o', false],
      ['o', false],
      ['o', false],
      ['o', false],
    ])
    // a plain "1" is still the digit
    expect(drawingClasses(classes, [d('1')], by('o'))[0]!.cls.label).toBe('1')
  })
})

describe('names and messages', () => {
  it('names variants after the source layers', () => {
    expect(styleSource([d('R')])).toBe('style-of-R')
    expect(styleSource([d('Ag'), d('Ag')])).toBe('style-of-Ag')
    expect(styleSource([d('Heading 1'), d('n'), d('o')])).toBe('style-of-Heading-1-and-2-more')
  })

  it('says what was read as what, and what was left out', () => {
    expect(styleMessage([{ name: 'R', cls: by('A') }], 62, 0)).toBe('Read “R” as A: 62 classes in its style')
    expect(styleMessage(['A', 'g', 'o'].map((l) => ({ name: l, cls: by(l) })), 62, 2)).toBe('Read 3 drawings (A, g, o): 62 classes in their style (2 more left out: at most 16 are read)')
  })
})
