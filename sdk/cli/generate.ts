/** `latentype generate`: sample (or take --latent), decode, trace; write SVG + PNG per variant and sheet.png. */
import { defaultModel, Generator } from '../index.js'
import { LatentypeError } from '../errors.js'
import { encodePng } from '../image/png.js'
import { encodeSheetPng } from '../image/sheet.js'
import { traceToSvg } from '../image/trace.js'
import { fileStem, parseFloatFlag, parseIntFlag, parseLatent, parseStringFlag } from './args.js'
import { writeOutputSet } from './output.js'

export interface GenerateFlags {
  model?: string
  class?: string
  n?: string
  seed?: string
  temperature?: string
  latent?: string[]
  out?: string
}

export async function generateCommand(f: GenerateFlags, log: (s: string) => void): Promise<void> {
  if (f.class === undefined) throw new LatentypeError('BAD_ARGUMENT', '--class is required (e.g. --class heart); list classes with `latentype info <model>`')
  const cls0 = parseStringFlag('class', f.class)!
  const seed = parseIntFlag('seed', f.seed, 0)
  const n = parseIntFlag('n', f.n, 8)
  const temperature = parseFloatFlag('temperature', f.temperature, 1)
  const out = parseStringFlag('out', f.out) ?? 'out'
  const gen = await Generator.load(parseStringFlag('model', f.model) ?? defaultModel('glyphs').path)
  try {
    const cls = gen.resolveClass(cls0)
    const latents = f.latent?.length ? f.latent.map(parseLatent) : gen.sample({ class: cls.id, n, seed, temperature })
    log(`model ${gen.card.name} (${gen.backend}) · class "${cls.label}" · ${latents.length} variant(s) · seed ${seed}`)
    const bitmaps = await gen.decode(latents, cls.id)
    // Everything is rendered in memory first, then written as one set: bad input or a failed write leaves nothing.
    const files: [string, Uint8Array | string][] = []
    const stem = `${fileStem(cls.label)}-${seed}`
    bitmaps.forEach((b, i) => {
      const k = String(i).padStart(2, '0')
      files.push([`${stem}-${k}.svg`, traceToSvg(b)], [`${stem}-${k}.png`, encodePng(b)])
      if (bitmaps.length > 16 && (i + 1) % 16 === 0) log(`  traced ${i + 1}/${bitmaps.length}`)
    })
    const cols = Math.min(8, bitmaps.length)
    const rows = Array.from({ length: Math.ceil(bitmaps.length / cols) }, (_, r) => bitmaps.slice(r * cols, r * cols + cols))
    files.push(['sheet.png', encodeSheetPng(rows, { scale: 2, title: `${gen.card.name} - ${cls.label} - seed ${seed}` })])
    writeOutputSet(out, files)
    log(`wrote ${bitmaps.length} SVG + ${bitmaps.length} PNG + sheet.png to ${out}/`)
  } finally {
    await gen.dispose()
  }
}
