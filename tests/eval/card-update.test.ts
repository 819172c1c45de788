/** Rewriting the card keeps the weights byte-identical; README sections are replaced, not duplicated. */
import { describe, expect, it } from 'vitest'
import { upsertSection, withCard } from '../../sdk/eval/card-update.js'
import { heInit } from '../../sdk/graph/layers.js'
import { buildModelFile, parseModelFile } from '../../sdk/model/file.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import { decodeModel } from '../../sdk/onnx/model-proto.js'
import { readModelWeights } from '../../sdk/train/model-weights.js'
import { testClasses, tinyModelBytes } from '../helpers/models.js'

describe('card rewrite', () => {
  it('updates metrics, latentKl and directions and keeps every initializer and node identical', () => {
    const before = tinyModelBytes(7)
    const after = withCard(before, (c) => ({ ...c, metrics: { ...c.metrics, class_consistency: 0.98 }, latentKl: [1, 0.5, 0, 0], directions: [{ name: 'weight', label: 'Weight', vector: [1, 0, 0, 0], range: [-2, 2] }] }))
    const { card } = parseModelFile(after)
    expect(card.metrics.class_consistency).toBe(0.98)
    expect(card.latentKl).toEqual([1, 0.5, 0, 0])
    expect(card.directions?.[0]?.name).toBe('weight')
    const a = decodeModel(before).graph
    const b = decodeModel(after).graph
    expect(b.initializers.length).toBe(a.initializers.length)
    a.initializers.forEach((t, i) => {
      expect(b.initializers[i]!.name).toBe(t.name)
      expect(Buffer.from(b.initializers[i]!.rawData).equals(Buffer.from(t.rawData))).toBe(true)
    })
    expect(JSON.stringify(b.nodes)).toBe(JSON.stringify(a.nodes))
  })

  it('refuses a card that does not fit the model (wrong latentKl length) with BAD_MODEL_CARD', () => {
    expect(() => withCard(tinyModelBytes(), (c) => ({ ...c, latentKl: [1, 2] }))).toThrow(/latentKl must have 4 entries/)
  })

  it('reads float16-stored weights back as float32 within half precision', () => {
    const card = { name: 't', kind: 'other' as const, classes: testClasses, spec: resolveSpec('tiny', testClasses.length), attribution: [], metrics: {}, createdAt: '2026-01-01T00:00:00.000Z' }
    const w32 = readModelWeights(buildModelFile(card, heInit(3))).weights
    const w16 = readModelWeights(buildModelFile({ ...card, weightFormat: 'float16' }, heInit(3))).weights
    expect([...w16.keys()].sort()).toEqual([...w32.keys()].sort())
    for (const [k, v] of w32) {
      const h = w16.get(k)!
      for (let i = 0; i < v.length; i++) expect(Math.abs(h[i]! - v[i]!)).toBeLessThanOrEqual(Math.abs(v[i]!) * 2 ** -10 + 1e-7)
    }
  })
})

describe('README sections', () => {
  it('appends a section once and replaces it on rerun, leaving other text alone', () => {
    const one = upsertSection('# Models\n\nintro\n', 'glyphs', 'first')
    expect(one).toBe('# Models\n\nintro\n\n<!-- eval:glyphs -->\nfirst\n<!-- /eval:glyphs -->\n')
    const two = upsertSection(upsertSection(one, 'icons', 'icons v1'), 'glyphs', 'second')
    expect(two).toContain('second')
    expect(two).not.toContain('first')
    expect(two.match(/<!-- eval:glyphs -->/g)).toHaveLength(1)
    expect(two.indexOf('eval:glyphs')).toBeLessThan(two.indexOf('eval:icons'))
    expect(two.startsWith('# Models\n\nintro\n')).toBe(true)
  })
})
