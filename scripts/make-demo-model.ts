/**
 * Writes the stand-in models models/demo-glyphs.onnx and models/demo-icons.onnx: the real file format and
 * class lists with untrained (He-initialised) weights, so the SDK, CLI and plugin work before trained
 * models exist. Their cards say "untrained" in the description and metrics.
 * Usage: npx tsx scripts/make-demo-model.ts
 */
import { join } from 'node:path'
import { buildModelFile, resolveSpec, MODELS_DIR, writeFileAtomic, type ClassInfo } from '../sdk/index.js'
import { heInit } from '../sdk/graph/layers.js'

const glyphLabels = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'abcdefghijklmnopqrstuvwxyz', ...'0123456789']
const iconLabels: [string, string[]][] = [
  ['heart', ['love', 'favorite']], ['bell', ['notification']], ['arrow-up', []], ['home', ['house']], ['settings', ['cog', 'gear']],
  ['search', ['magnifying-glass']], ['x', ['close', 'xmark', 'times']], ['star', []], ['lock', ['padlock']], ['user', ['person']],
]

function write(name: string, kind: 'glyphs' | 'icons', classes: ClassInfo[], seed: number): void {
  const spec = resolveSpec('demo64', classes.length)
  const bytes = buildModelFile(
    {
      name, kind, classes, spec,
      description: 'UNTRAINED stand-in model (random weights): it exercises the file format, SDK and plugin; its images are noise-like blobs.',
      attribution: [],
      metrics: { trained: 'no' },
      createdAt: '2026-11-21T00:00:00.000Z',
    },
    heInit(seed),
  )
  const path = join(MODELS_DIR, `${name}.onnx`)
  writeFileAtomic(path, bytes)
  console.log(`wrote ${path} (${(bytes.length / 1024).toFixed(0)} KB, ${classes.length} classes)`)
}

write('demo-glyphs', 'glyphs', glyphLabels.map((label, id) => ({ id, label, synonyms: [] })), 1)
write('demo-icons', 'icons', iconLabels.map(([label, synonyms], id) => ({ id, label, synonyms })), 2)
