/**
 * Draws one variant: the traced vector that Insert will place (once traced), else the decoded bitmap (the
 * slider hot path, and the first frames of a new grid). Both in the theme's ink colour on a transparent canvas.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Bitmap } from '../../sdk/image/bitmap.js'

let painted = 0

let ink: [number, number, number] | null = null
let inkTheme = ''

/** The theme's text colour as RGB, read once per theme (getComputedStyle would force a style pass per paint). */
function inkOf(el: HTMLElement): [number, number, number] {
  const theme = document.documentElement.className
  if (!ink || theme !== inkTheme) {
    const m = /(\d+)[, ]+(\d+)[, ]+(\d+)/.exec(getComputedStyle(el).color)
    ink = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [30, 30, 30]
    inkTheme = theme
  }
  return ink
}

export function paintBitmap(canvas: HTMLCanvasElement, b: Bitmap): void {
  if (canvas.width !== b.width) canvas.width = b.width
  if (canvas.height !== b.height) canvas.height = b.height
  const ctx = canvas.getContext('2d')!
  const img = ctx.createImageData(b.width, b.height)
  const [r, g, bl] = inkOf(canvas)
  const px = img.data
  for (let i = 0, o = 0; i < b.data.length; i++, o += 4) {
    px[o] = r
    px[o + 1] = g
    px[o + 2] = bl
    px[o + 3] = Math.round(Math.min(1, Math.max(0, b.data[i]!)) * 255)
  }
  ctx.putImageData(img, 0, 0)
}

/** Fills SVG path data (in `units` × `units` image pixels) over the canvas at device resolution. */
export function paintPath(canvas: HTMLCanvasElement, d: string, units: number): void {
  const dpr = window.devicePixelRatio || 1
  const css = canvas.getBoundingClientRect().width || units
  const px = Math.max(1, Math.round(css * dpr))
  if (canvas.width !== px) canvas.width = px
  if (canvas.height !== px) canvas.height = px
  const ctx = canvas.getContext('2d')!
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.clearRect(0, 0, px, px)
  const [r, g, b] = inkOf(canvas)
  ctx.fillStyle = `rgb(${r}, ${g}, ${b})`
  ctx.setTransform(px / units, 0, 0, px / units, 0, 0)
  ctx.fill(new Path2D(d), 'evenodd')
}

/** Figma switches light/dark live by changing <html>'s class; canvases repaint in the new ink colour. */
function useThemeClass(): string {
  const [theme, setTheme] = useState(document.documentElement.className)
  useEffect(() => {
    const obs = new MutationObserver(() => setTheme(document.documentElement.className))
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
    return () => obs.disconnect()
  }, [])
  return theme
}

export interface GlyphProps {
  bitmap: Bitmap
  /** Path data of the traced vector (what Insert places); the bitmap is drawn while it is not ready. */
  path?: string
  label: string
  testId?: string
  /** Dispatch `latentype:painted` after each bitmap paint (the slider benchmark and tests listen). */
  notify?: boolean
}

export function Glyph(p: GlyphProps) {
  const ref = useRef<HTMLCanvasElement>(null)
  const theme = useThemeClass()
  const vector = p.path !== undefined && p.path !== ''
  // Layout effect: paint in the same task as the render, not a frame later (the slider hot path).
  useLayoutEffect(() => {
    const c = ref.current
    if (!c) return
    if (vector) paintPath(c, p.path!, p.bitmap.width)
    else {
      paintBitmap(c, p.bitmap)
      if (p.notify) document.dispatchEvent(new CustomEvent('latentype:painted', { detail: ++painted }))
    }
  }, [p.bitmap, p.path, theme])
  return <canvas ref={ref} role="img" aria-label={p.label} data-testid={p.testId} data-kind={vector ? 'vector' : 'bitmap'} />
}
