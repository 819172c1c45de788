import { describe, expect, it } from 'vitest'
import { normaliseIconName } from '../../scripts/data/names.js'

describe('normaliseIconName', () => {
  it.each([
    ['heart-24-filled', 'heart', ['filled'], '24'],
    ['baseline-favorite-border', 'heart', ['outline'], ''],
    ['heart_outline', 'heart', ['outline'], ''],
    ['heart-fill-16', 'heart', ['filled'], '16'],
    ['heart-o', 'heart', ['outline'], ''],
    ['house', 'home', [], ''],
    ['cog', 'settings', [], ''],
    ['gear-six-duotone', 'settings', ['duotone'], ''],
    ['magnifying-glass-bold', 'search', ['bold'], ''],
    ['xmark', 'x', [], ''],
    ['times', 'x', [], ''],
    ['close-rounded', 'x', ['rounded'], ''],
    ['twotone-favorite', 'heart', ['duotone'], ''],
    ['arrow-up-16-regular', 'arrow-up', ['outline'], '16'],
    ['circle-check', 'check-circle', [], ''],
    // label-noise regressions: an alphabet letter or a text-format button is not an envelope
    ['letter', 'envelope', [], ''],
    ['letter-broken', 'envelope', ['broken'], ''],
    ['letter-f', 'letter-f', [], ''],
    ['letter-o-solid', 'letter-o', ['filled'], ''],
    ['letter-bold-outline', 'letter-bold', ['outline'], ''],
    // streamline's arrow-round-left is a rotate-left arrow, not a rounded arrow-left
    ['arrow-round-left', 'arrow-round-left', [], ''],
    ['arrow-left-rounded', 'arrow-left', ['rounded'], ''],
    // `back`/`forward` alone are return/undo arrows in most sets; `arrow-back` is the plain arrow
    ['back', 'back', [], ''],
    ['arrow-back', 'arrow-left', [], ''],
  ])('%s → %s %j', (name, concept, styles, size) => {
    const n = normaliseIconName(name)
    expect(n.concept).toBe(concept)
    expect(n.styles).toEqual(styles)
    expect(n.size).toBe(size)
  })

  it('keeps numbered alternates as variants of the concept', () => {
    expect(normaliseIconName('home-2-fill')).toMatchObject({ concept: 'home', variant: '2', styles: ['filled'] })
    expect(normaliseIconName('calendar-01')).toMatchObject({ concept: 'calendar', variant: '1' })
  })

  it('keeps a style word that is the whole name as a concept', () => {
    expect(normaliseIconName('fill').concept).toBe('fill')
  })
})
