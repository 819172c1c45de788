/**
 * The trace worker's entry (a second classic blob: worker, built without onnxruntime): turns decoded bitmaps
 * into the SVG that insert sends to Figma, off the UI thread and off the ML worker that serves the sliders.
 */
import { expose } from 'comlink'
import type { Bitmap } from '../../sdk/image/bitmap.js'
import { traceToSvg } from '../../sdk/image/trace.js'

export const tracer = {
  /** One SVG document per bitmap, exactly as `traceToSvg` writes it (the main thread accepts only that form). */
  trace(bitmaps: Bitmap[]): string[] {
    return bitmaps.map((b) => traceToSvg(b, { fill: '#000000' }))
  },
}
export type Tracer = typeof tracer

expose(tracer)
