/** Small real models for tests, built with the SDK itself (random He weights; the file format is what's tested). */
import { buildModelFile, resolveSpec, type ClassInfo } from '../../sdk/index.js'
import { heInit } from '../../sdk/graph/layers.js'

export const testClasses: ClassInfo[] = [
  { id: 0, label: 'heart', synonyms: ['love'] },
  { id: 1, label: 'bell', synonyms: ['notification'] },
  { id: 2, label: 'A', synonyms: [] },
  { id: 3, label: 'a', synonyms: [] },
]

/** A `tiny`-preset model (16×16, latent 4) over {@link testClasses}. */
export function tinyModelBytes(seed = 1, preset = 'tiny'): Uint8Array {
  return buildModelFile(
    { name: 'test-tiny', kind: 'other', classes: testClasses, spec: resolveSpec(preset, testClasses.length), attribution: [{ source: 'test', license: 'MIT' }], metrics: {}, createdAt: '2026-01-01T00:00:00.000Z' },
    heInit(seed),
  )
}
