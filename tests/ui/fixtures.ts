/** Small real model files for the UI tests, built with the SDK (random weights; cards with KL and directions). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { heInit } from '../../sdk/graph/layers.js'
import { buildModelFile } from '../../sdk/model/file.js'
import { resolveSpec } from '../../sdk/model/spec.js'
import type { ClassInfo } from '../../sdk/model/card.js'

const spec = (n: number) =>
  resolveSpec({ imageSize: 32, channels: 1, latentSize: 8, encoder: { conv: [8, 16], hidden: 32 }, decoder: { hidden: 32, conv: [16, 8] }, activation: { type: 'leaky_relu', alpha: 0.2 }, classBias: true }, n)

const cls = (labels: [string, string[]][]): ClassInfo[] => labels.map(([label, synonyms], id) => ({ id, label, synonyms }))

/** Per-dimension KL of the icons fixture: sliders must come out as z1, z3, z6, z4, z0, z7, z2, z5. */
export const FIXTURE_KL = [0.3, 2.5, 0.005, 1.2, 0.4, 0, 0.8, 0.05]
export const FIXTURE_SLIDER_ORDER = [1, 3, 6, 4, 0, 7, 2, 5]

export function writeFixtureModels(dir: string): { icons: string; glyphs: string } {
  const icons = buildModelFile(
    {
      name: 'fixture-icons',
      kind: 'icons',
      classes: cls([['heart', ['love']], ['home', ['house']], ['star', []], ['bell', ['notification', 'alarm-bell']]]),
      spec: spec(4),
      latentKl: FIXTURE_KL,
      directions: [
        { name: 'weight', label: 'Weight', vector: [0, 1, 0, 0.5, 0, 0, 0, 0], range: [-2, 2] },
        { name: 'slant', label: 'Slant', vector: [0, 0, 0, 0, 0, 0, 1, 0] },
      ],
      attribution: [],
      metrics: { trained: 'no' },
      createdAt: '2026-01-01T00:00:00.000Z',
    },
    heInit(3),
  )
  const glyphs = buildModelFile(
    // Stored as float16 like the shipped models (widened by a Cast at load): the browser runtime must handle it.
    { name: 'fixture-glyphs', kind: 'glyphs', classes: cls([['A', []], ['B', []], ['C', []], ['a', []], ['b', []]]), spec: spec(5), weightFormat: 'float16', attribution: [], metrics: { trained: 'no' }, createdAt: '2026-01-01T00:00:00.000Z' },
    heInit(4),
  )
  const paths = { icons: join(dir, 'fixture-icons.onnx'), glyphs: join(dir, 'fixture-glyphs.onnx') }
  writeFileSync(paths.icons, icons)
  writeFileSync(paths.glyphs, glyphs)
  return paths
}
