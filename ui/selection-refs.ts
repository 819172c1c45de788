/** Pure logic of "style from selection" (no DOM, no worker): which class each selected drawing shows, names, messages. */
import type { ClassInfo } from '../sdk/model/card.js'
import type { SelectionDrawing } from '../plugin/protocol.js'
import { guessSelectionClass, slug } from './state.js'

/** A selected drawing with the class it will be read as; `guessed` when its layer told us (not a default). */
export interface DrawingClass {
  drawing: SelectionDrawing
  cls: ClassInfo
  guessed: boolean
}

/** Names Figma gives new layers ("Vector 3", "Rectangle 12"): their number is not a glyph class. */
const DEFAULT_LAYER_NAME = /^(frame|group|vector|rectangle|ellipse|line|polygon|star|arrow|union|subtract|intersect|exclude|component|instance|image|section|slice|text|boolean)\s+\d+$/i

/**
 * The class of each drawing: the variant latentype stored on it, its single character, or a class label or
 * synonym in its layer name; otherwise `fallback` (the class picked in the UI), marked as not guessed so the UI
 * asks.
 */
export function drawingClasses(classes: readonly ClassInfo[], drawings: readonly SelectionDrawing[], fallback: ClassInfo): DrawingClass[] {
  return drawings.map((d) => {
    const name = DEFAULT_LAYER_NAME.test(d.name.trim()) ? null : d.name
    const hit = guessSelectionClass(classes, { text: d.char, name, variantClass: d.variantClass })
    return { drawing: d, cls: hit ?? fallback, guessed: hit !== null }
  })
}

/** The name part of variants drawn in the drawings' style: `style-of-R`, `style-of-Heading-and-3-more`. */
export function styleSource(drawings: readonly Pick<SelectionDrawing, 'name'>[]): string {
  const names = [...new Set(drawings.map((d) => d.name))]
  const first = slug(names[0] ?? '')
  return names.length <= 1 ? `style-of-${first}` : `style-of-${first}-and-${names.length - 1}-more`
}

/** The toast after drawing a style: what was read as what, how many classes came out, what was left out. */
export function styleMessage(read: readonly { name: string; cls: ClassInfo }[], classes: number, skipped: number): string {
  const left = skipped > 0 ? ` (${skipped} more left out: at most 16 are read)` : ''
  if (read.length === 1) return `Read “${read[0]!.name}” as ${read[0]!.cls.label}: ${classes} classes in its style${left}`
  const labels = read.map((r) => r.cls.label)
  const shown = labels.length > 6 ? `${labels.slice(0, 6).join(', ')}, …` : labels.join(', ')
  return `Read ${read.length} drawings (${shown}): ${classes} classes in their style${left}`
}
