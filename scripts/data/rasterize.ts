/** SVG → coverage bitmap with resvg: black ink on white, coverage = (255 − luminance) / 255, then fitToBox. */
import { Resvg } from '@resvg/resvg-js'
import { createBitmap, type Bitmap } from '../../sdk/image/bitmap.js'
import { fitToBox } from '../../sdk/image/fit.js'

/** Render resolution of the longer side before fitting (high enough that area averaging does the smoothing). */
export const RENDER_PX = 256

/**
 * Renders an SVG to coverage at `renderPx` on its longer side. `currentColor`, white cut-outs and duotone
 * opacity layers all come out right because we render on white and measure darkness, not alpha.
 * Throws (resvg's error) for SVG that does not parse.
 */
export function renderSvgCoverage(svg: string, renderPx = RENDER_PX): Bitmap {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: renderPx },
    font: { loadSystemFonts: false },
    shapeRendering: 2,
    imageRendering: 0,
  })
  // fitTo width: for tall icons limit the height instead so the longer side is renderPx.
  const { width, height } = resvg
  const render = height > width ? new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'height', value: renderPx }, font: { loadSystemFonts: false } }).render() : resvg.render()
  const px = render.pixels
  const out = createBitmap(render.width, render.height)
  for (let i = 0, p = 0; i < out.data.length; i++, p += 4) {
    const lum = 0.2126 * px[p]! + 0.7152 * px[p + 1]! + 0.0722 * px[p + 2]!
    out.data[i] = (255 - lum) / 255
  }
  return out
}

/** Renders and frames one icon: its ink box fitted into `size`×`size` with `margin` paper pixels. */
export function rasteriseIcon(svg: string, size: number, margin: number): Bitmap {
  return fitToBox(renderSvgCoverage(svg), size, margin)
}

/** Coverage bitmap → uint8 (0 paper .. 255 ink), the dataset's pixel format. */
export function toUint8(b: Bitmap): Uint8Array {
  const out = new Uint8Array(b.data.length)
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, b.data[i]!)) * 255)
  return out
}
