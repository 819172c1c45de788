/** Paints a coverage bitmap in the theme's ink colour (alpha = coverage, so it sits on any background). */
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

export function BitmapCanvas(props: { bitmap: Bitmap; label: string; testId?: string; notify?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null)
  const theme = useThemeClass()
  // Layout effect: paint in the same task as the render, not a frame later (the slider hot path).
  useLayoutEffect(() => {
    if (!ref.current) return
    paintBitmap(ref.current, props.bitmap)
    // Lets test harnesses and the benchmark see when pixels reached the screen.
    if (props.notify) document.dispatchEvent(new CustomEvent('latentype:painted', { detail: ++painted }))
  }, [props.bitmap, theme])
  return <canvas ref={ref} role="img" aria-label={props.label} data-testid={props.testId} />
}
