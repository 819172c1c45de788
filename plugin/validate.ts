/**
 * Validation of every message the UI sends before it touches the document: shapes, size caps, SVG only in the
 * exact form our tracer writes (absolute M/L/C/Z paths, one <path>, nothing else), names sanitised.
 */
import { LIMITS, type FillChoice, type InsertItem, type ProtocolErrorCode, type UiMessage, type VariantData } from './protocol.js'

export class PluginMessageError extends Error {
  readonly code: ProtocolErrorCode
  constructor(code: ProtocolErrorCode, message: string) {
    super(message)
    this.name = 'PluginMessageError'
    this.code = code
  }
}

const bad = (message: string): never => {
  throw new PluginMessageError('BAD_MESSAGE', message)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (o: Obj, k: string, max: number): string => {
  const v = o[k]
  if (typeof v !== 'string' || v.length > max) bad(`"${k}" must be a string of at most ${max} characters`)
  return v as string
}
const num = (o: Obj, k: string, min: number, max: number, int = false): number => {
  const v = o[k]
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
    bad(`"${k}" must be ${int ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(v)})`)
  }
  return v as number
}

/** Keeps letters, digits and a few separators; collapses the rest to "-"; never empty. */
export function sanitizeName(name: string): string {
  const clean = name
    .replace(/[\u0000-\u001f\u007f<>"'`\\{}|]/g, '-')
    .replace(/-{2,}/g, '-')
    .trim()
    .slice(0, LIMITS.maxNameChars)
  return clean || 'latentype'
}

const NUM = String.raw`-?\d+(?:\.\d+)?`
const SVG_RE = new RegExp(
  String.raw`^<svg xmlns="http://www\.w3\.org/2000/svg" width="(${NUM})" height="(${NUM})" viewBox="0 0 (\d+) (\d+)">` +
    String.raw`<path d="([MLCZ0-9 .-]*)" fill="(#[0-9a-fA-F]{3,8}|[a-z]{3,20})" fill-rule="evenodd"/></svg>$`,
)
const ARGS: Record<string, number> = { M: 2, L: 2, C: 6, Z: 0 }

/** Checks that `svg` is exactly what `traceToSvg` writes; returns the number of subpaths. Throws BAD_SVG. */
export function validateTracedSvg(svg: string): number {
  const fail = (why: string): never => {
    throw new PluginMessageError('BAD_SVG', `SVG rejected: ${why} — only SVG from latentype's tracer can be inserted`)
  }
  if (typeof svg !== 'string') fail('not a string')
  if (svg.length > LIMITS.maxSvgChars) fail(`${svg.length} characters is over the ${LIMITS.maxSvgChars} limit`)
  const m = SVG_RE.exec(svg)
  if (!m) fail('not in the tracer\'s format (one <path> with absolute M/L/C/Z commands)')
  const w = Number(m![3])
  const h = Number(m![4])
  if (!(w > 0 && h > 0 && w <= 4096 && h <= 4096)) fail(`viewBox ${w}×${h} is out of range`)
  const tokens = m![5]!.split(' ').filter((t) => t !== '')
  if (tokens.length === 0) fail('the path is empty (a blank variant) — nothing to insert')
  let subpaths = 0
  for (let i = 0; i < tokens.length; ) {
    const cmd = tokens[i++]!
    const n = ARGS[cmd]
    if (n === undefined) fail(`unexpected "${cmd.slice(0, 12)}" where a command was expected`)
    if (cmd === 'M') subpaths++
    else if (subpaths === 0) fail('path must start with M')
    for (let k = 0; k < n!; k++, i++) {
      const t = tokens[i]
      if (t === undefined || !new RegExp(`^${NUM}$`).test(t)) fail(`command ${cmd} needs ${n} numbers`)
      const v = Number(t)
      const bound = k % 2 === 0 ? w : h
      if (v < -bound || v > 2 * bound) fail(`coordinate ${v} is far outside the ${w}×${h} viewBox`)
    }
  }
  return subpaths
}

function validateVariant(v: unknown): VariantData {
  if (!isObj(v)) return bad('"data" must be an object')
  const o = v as Obj
  if (o.v !== 1) bad('"data.v" must be 1')
  const latent = o.latent
  if (!Array.isArray(latent) || latent.length === 0 || latent.length > LIMITS.maxLatent || !latent.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    bad(`"data.latent" must be 1 to ${LIMITS.maxLatent} finite numbers`)
  }
  return {
    v: 1,
    model: str(o, 'model', 64),
    modelKey: str(o, 'modelKey', 64),
    class: str(o, 'class', 64),
    seed: num(o, 'seed', -(2 ** 31), 2 ** 32, true),
    temperature: num(o, 'temperature', 0, 10),
    latent: (latent as number[]).slice(),
  }
}

function validateItem(v: unknown, i: number): InsertItem {
  if (!isObj(v)) return bad(`items[${i}] must be an object`)
  const name = sanitizeName(str(v, 'name', 1000))
  validateTracedSvg(v.svg as string)
  return { name, svg: v.svg as string, data: validateVariant(v.data) }
}

const HEX_RE = /^#[0-9a-fA-F]{6}$/

function validateFill(v: unknown): FillChoice | undefined {
  if (v === undefined) return undefined
  if (!isObj(v)) return bad('"fill" must be an object')
  if (v.kind === 'color') {
    if (typeof v.hex !== 'string' || !HEX_RE.test(v.hex)) bad('"fill.hex" must be a colour like #1e1e1e')
    return { kind: 'color', hex: (v.hex as string).toLowerCase() }
  }
  if (v.kind === 'style') return { kind: 'style', id: str(v as Obj, 'id', LIMITS.maxStyleIdChars) }
  return bad('"fill.kind" must be "color" or "style"')
}

/** Validates a message from the UI; returns a clean copy or throws {@link PluginMessageError}. */
export function validateUiMessage(raw: unknown): UiMessage {
  if (!isObj(raw)) return bad('message must be an object')
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' }
    case 'insert': {
      const items = raw.items
      if (!Array.isArray(items) || items.length === 0 || items.length > LIMITS.maxItems) bad(`"items" must hold 1 to ${LIMITS.maxItems} variants`)
      const list = items as unknown[]
      const total = list.reduce<number>((s, it) => s + (isObj(it) && typeof it.svg === 'string' ? it.svg.length : 0), 0)
      if (total > LIMITS.maxTotalSvgChars) bad(`${total} characters of SVG is over the ${LIMITS.maxTotalSvgChars} limit — insert fewer variants at once`)
      const replaceId = raw.replaceId === undefined ? undefined : str(raw, 'replaceId', 64)
      if (replaceId !== undefined && list.length !== 1) bad('"replaceId" replaces one node with one variant — send exactly one item')
      return {
        type: 'insert',
        items: list.map(validateItem),
        size: num(raw, 'size', LIMITS.minSize, LIMITS.maxSize),
        columns: num(raw, 'columns', 1, LIMITS.maxItems, true),
        groupName: sanitizeName(str(raw, 'groupName', 1000)),
        closeAfter: raw.closeAfter === true,
        fill: validateFill(raw.fill),
        asComponent: raw.asComponent === true,
        replaceId,
      }
    }
    case 'save-settings': {
      if (!isObj(raw.settings)) bad('"settings" must be an object')
      let json = ''
      try {
        json = JSON.stringify(raw.settings)
      } catch {
        bad('"settings" must be plain JSON')
      }
      if (json.length > LIMITS.maxSettingsChars) bad(`"settings" is ${json.length} characters, over the ${LIMITS.maxSettingsChars} limit`)
      return { type: 'save-settings', settings: JSON.parse(json) as Record<string, unknown> }
    }
    case 'resize': {
      const { minWindow: lo, maxWindow: hi } = LIMITS
      // Sizes out of range are clamped, not refused: a drag past the limit should stop at it.
      const clampInt = (k: string, min: number, max: number): number => Math.round(Math.min(max, Math.max(min, num(raw, k, 0, 100_000))))
      return { type: 'resize', width: clampInt('width', lo.width, hi.width), height: clampInt('height', lo.height, hi.height), save: raw.save === true }
    }
    case 'export-selection':
      return { type: 'export-selection', size: num(raw, 'size', 8, LIMITS.maxExportSize, true) }
    case 'notify':
      return { type: 'notify', message: str(raw, 'message', 10_000).slice(0, LIMITS.maxNotifyChars), error: raw.error === true }
    case 'quick-failed':
      return { type: 'quick-failed', message: str(raw, 'message', 10_000).slice(0, LIMITS.maxNotifyChars) }
    default:
      return bad(`unknown message type ${JSON.stringify(raw.type)?.slice(0, 40)}`)
  }
}

/** Parses plugin data stored on a node; null when absent or not ours. */
export function parseVariantData(json: string): VariantData | null {
  if (!json) return null
  try {
    return validateVariant(JSON.parse(json))
  } catch {
    return null
  }
}
