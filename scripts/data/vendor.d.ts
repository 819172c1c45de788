// Minimal types for the untyped packages the data build uses.
declare module 'wawoff2/decompress.js' {
  export default function decompress(woff2: Uint8Array): Promise<Uint8Array>
}
declare module 'opentype.js' {
  export interface BoundingBox { x1: number; y1: number; x2: number; y2: number }
  /** `toPathData` is deliberately not declared: it writes NaN for some coordinates in 2.0.0 (see scripts/data/path-data.ts). */
  export interface Path { commands: import('./path-data.js').PathCommand[] }
  export interface Glyph { index: number; name?: string; advanceWidth?: number; path: Path; getPath(x: number, y: number, fontSize: number): Path; getBoundingBox(): BoundingBox }
  export interface Font {
    unitsPerEm: number
    ascender: number
    descender: number
    names: Record<string, Record<string, string> | undefined>
    charToGlyph(ch: string): Glyph
  }
  export function parse(buffer: ArrayBuffer): Font
}
