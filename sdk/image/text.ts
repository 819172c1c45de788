import { FONT_ADVANCE, FONT_GLYPH_WIDTH, FONT_LINE_HEIGHT, glyphRows } from './font5x7.js'
import type { RgbaImage } from './rgba.js'

/** Where and how to draw a line of text. */
export interface TextStyle {
  /** Integer pixel size of one font pixel (default 1: glyphs are 5×7). */
  scale?: number
  /** RGBA colour (default opaque black). */
  color?: readonly [number, number, number, number]
}

/**
 * Width and height in pixels that `text` occupies when drawn with {@link drawText} at `scale`.
 *
 * @example
 * ```ts
 * measureText('seed 7', 2) // { width: 70, height: 14 }
 * ```
 */
export function measureText(text: string, scale = 1): { width: number; height: number } {
  const n = [...text].length
  return { width: n === 0 ? 0 : ((n - 1) * FONT_ADVANCE + FONT_GLYPH_WIDTH) * scale, height: (FONT_LINE_HEIGHT - 1) * scale }
}

/**
 * Draws one line of text with its top-left corner at (x, y), using the built-in 5×7 font; pixels outside the
 * image are clipped. Non-ASCII characters render as `?`.
 *
 * @example
 * ```ts
 * drawText(sheet, 'heart', 4, 4, { scale: 2 })
 * ```
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, style: TextStyle = {}): void {
  const scale = Math.max(1, Math.round(style.scale ?? 1))
  const [r, g, b, a] = style.color ?? [0, 0, 0, 255]
  let penX = Math.round(x)
  const top = Math.round(y)
  for (const ch of text) {
    const rows = glyphRows(ch)
    for (let row = 0; row < rows.length; row++) {
      for (let col = 0; col < FONT_GLYPH_WIDTH; col++) {
        if (((rows[row]! >> (FONT_GLYPH_WIDTH - 1 - col)) & 1) === 0) continue
        fillRect(image, penX + col * scale, top + row * scale, scale, scale, [r, g, b, a])
      }
    }
    penX += FONT_ADVANCE * scale
  }
}

/**
 * Fills an axis-aligned rectangle with an RGBA colour (replacing pixels, no blending), clipped to the image.
 *
 * @example
 * ```ts
 * fillRect(img, 0, 0, img.width, 1, [0, 0, 0, 255]) // top border
 * ```
 */
export function fillRect(
  image: RgbaImage,
  x: number,
  y: number,
  w: number,
  h: number,
  color: readonly [number, number, number, number],
): void {
  const x0 = Math.max(0, x)
  const y0 = Math.max(0, y)
  const x1 = Math.min(image.width, x + w)
  const y1 = Math.min(image.height, y + h)
  if (x1 <= x0 || y1 <= y0) return
  const d = image.data
  const [r, g, b, a] = color
  const first = (y0 * image.width + x0) * 4
  for (let o = first, end = first + (x1 - x0) * 4; o < end; o += 4) {
    d[o] = r
    d[o + 1] = g
    d[o + 2] = b
    d[o + 3] = a
  }
  for (let yy = y0 + 1; yy < y1; yy++) d.copyWithin((yy * image.width + x0) * 4, first, first + (x1 - x0) * 4)
}
