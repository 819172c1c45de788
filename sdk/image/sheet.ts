import { LatentypeError } from '../errors.js'
import { assertBitmap, type Bitmap } from './bitmap.js'
import { encodePng } from './png.js'
import { createRgbaImage, type RgbaImage } from './rgba.js'
import { drawText, fillRect, measureText } from './text.js'

/** Layout of a contact sheet. All sizes are in output pixels. */
export interface SheetOptions {
  /** Integer nearest-neighbour upscale of every bitmap (default 1). */
  scale?: number
  /** Side of the square cell each bitmap is centred in (default: largest bitmap side × scale). */
  cellSize?: number
  /** Space between cells (default 4). */
  gap?: number
  /** Space around the whole sheet (default 8). */
  margin?: number
  /** One label per row, drawn left of the row. */
  rowLabels?: readonly string[]
  /** One label per column, drawn above the first row. */
  columnLabels?: readonly string[]
  /** A line of text above everything else. */
  title?: string
  /** Width of the row-label column (default: widest row label + gap; 0 without row labels). */
  labelWidth?: number
  /** Integer size of one font pixel (default 1: 5×7 glyphs; 2 is easier to read on large cells). */
  fontScale?: number
}

const PAGE: [number, number, number, number] = [232, 232, 232, 255]
const PAPER: [number, number, number, number] = [255, 255, 255, 255]
const TEXT: [number, number, number, number] = [0, 0, 0, 255]

/**
 * Draws a grid of bitmaps (one array per row; `null` leaves a cell empty) with optional row labels, column
 * labels and title onto one RGBA image: light-gray page, white cells, black ink. The result is gray only, so
 * {@link encodePng} stores it as an 8-bit grayscale PNG.
 *
 * @example
 * ```ts
 * const img = renderSheet([hearts, stars], { rowLabels: ['heart', 'star'], scale: 2, title: 'seed 7' })
 * ```
 */
export function renderSheet(rows: readonly (readonly (Bitmap | null)[])[], options: SheetOptions = {}): RgbaImage {
  const layout = computeLayout(rows, options)
  const { scale, cell, gap, margin, fontScale, labelWidth, top } = layout
  const img = createRgbaImage(layout.width, layout.height, PAGE)
  const textHeight = measureText('X', fontScale).height
  if (options.title) drawText(img, options.title, margin, margin, { scale: fontScale, color: TEXT })
  const cellX = (c: number): number => margin + labelWidth + c * (cell + gap)
  const cellY = (r: number): number => top + r * (cell + gap)
  options.columnLabels?.forEach((label, c) => {
    const w = measureText(label, fontScale).width
    drawText(img, label, cellX(c) + Math.floor((cell - w) / 2), top - gap - textHeight, { scale: fontScale, color: TEXT })
  })
  rows.forEach((row, r) => {
    const label = options.rowLabels?.[r]
    if (label) drawText(img, label, margin, cellY(r) + Math.floor((cell - textHeight) / 2), { scale: fontScale, color: TEXT })
    row.forEach((bitmap, c) => {
      fillRect(img, cellX(c), cellY(r), cell, cell, PAPER)
      if (bitmap) {
        const x0 = cellX(c) + Math.floor((cell - bitmap.width * scale) / 2)
        const y0 = cellY(r) + Math.floor((cell - bitmap.height * scale) / 2)
        blitBitmap(img, bitmap, x0, y0, scale)
      }
    })
  })
  return img
}

/**
 * {@link renderSheet} encoded as PNG bytes (deterministic).
 *
 * @example
 * ```ts
 * await fs.writeFile('sheet.png', encodeSheetPng([bitmaps], { rowLabels: ['heart'] }))
 * ```
 */
export function encodeSheetPng(rows: readonly (readonly (Bitmap | null)[])[], options: SheetOptions = {}): Uint8Array {
  return encodePng(renderSheet(rows, options))
}

interface Layout {
  width: number
  height: number
  scale: number
  cell: number
  gap: number
  margin: number
  fontScale: number
  labelWidth: number
  /** y of the first cell row. */
  top: number
}

function computeLayout(rows: readonly (readonly (Bitmap | null)[])[], o: SheetOptions): Layout {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new LatentypeError('BAD_ARGUMENT', 'contact sheet needs at least one row — pass [[bitmap, …], …]')
  }
  const scale = positiveInt(o.scale ?? 1, 'scale', 1)
  const gap = positiveInt(o.gap ?? 4, 'gap', 0)
  const margin = positiveInt(o.margin ?? 8, 'margin', 0)
  const fontScale = positiveInt(o.fontScale ?? 1, 'fontScale', 1)
  let largest = 0
  let columns = 0
  for (const row of rows) {
    if (!Array.isArray(row)) throw new LatentypeError('BAD_ARGUMENT', 'each contact sheet row must be an array of bitmaps')
    columns = Math.max(columns, row.length)
    for (const b of row) {
      if (b === null) continue
      assertBitmap(b)
      largest = Math.max(largest, b.width, b.height)
    }
  }
  columns = Math.max(columns, o.columnLabels?.length ?? 0, 1)
  const cell = positiveInt(o.cellSize ?? Math.max(1, largest * scale), 'cellSize', 1)
  if (cell < largest * scale) {
    throw new LatentypeError(
      'BAD_ARGUMENT',
      `cellSize ${cell} is smaller than the largest bitmap × scale (${largest * scale}) — raise cellSize or lower scale`,
    )
  }
  const labelHeight = measureText('X', fontScale).height
  const widest = Math.max(0, ...(o.rowLabels ?? []).map((l) => measureText(l, fontScale).width))
  const labelWidth = positiveInt(o.labelWidth ?? (widest > 0 ? widest + gap + 2 : 0), 'labelWidth', 0)
  let top = margin
  if (o.title) top += labelHeight + Math.max(gap, 4)
  if (o.columnLabels && o.columnLabels.length > 0) top += labelHeight + gap
  const titleWidth = o.title ? measureText(o.title, fontScale).width : 0
  const gridWidth = labelWidth + columns * cell + (columns - 1) * gap
  return {
    width: 2 * margin + Math.max(gridWidth, titleWidth),
    height: top + rows.length * cell + (rows.length - 1) * gap + margin,
    scale,
    cell,
    gap,
    margin,
    fontScale,
    labelWidth,
    top,
  }
}

function positiveInt(v: number, name: string, min: number): number {
  if (!Number.isInteger(v) || v < min || v > 4096) {
    throw new LatentypeError('BAD_ARGUMENT', `sheet option ${name} = ${v} is invalid — use an integer from ${min} to 4096`)
  }
  return v
}

/** Draws a bitmap as black ink on the existing (white) cell, each source pixel a `scale`×`scale` block. */
function blitBitmap(img: RgbaImage, b: Bitmap, x0: number, y0: number, scale: number): void {
  const color: [number, number, number, number] = [0, 0, 0, 255]
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const c = b.data[y * b.width + x]!
      if (!(c > 0)) continue // paper (or NaN): the cell is already white
      const v = 255 - Math.round(255 * Math.min(1, c))
      color[0] = color[1] = color[2] = v
      fillRect(img, x0 + x * scale, y0 + y * scale, scale, scale, color)
    }
  }
}
