/** A toy training set of bars for trainer tests: 3 style groups × 4 classes × 2 copies at 16×16. */
import type { ImageSet } from '../../sdk/train/data.js'

/**
 * Group g draws class k as a solid bar `height` rows tall starting at row 3k + `top`, from column `left` to
 * `right + 3g` (exclusive): the class sets the row, the group (a "font" or "icon set") the length.
 */
export function barSet(o: { top: number; height: number; left: number; right: number }): ImageSet {
  const S = 16
  const items: { g: number; k: number }[] = []
  for (let g = 0; g < 3; g++) for (let k = 0; k < 4; k++) for (let c = 0; c < 2; c++) items.push({ g, k })
  const pixels = new Uint8Array(items.length * S * S)
  items.forEach(({ g, k }, i) => {
    for (let y = 3 * k + o.top; y < 3 * k + o.top + o.height; y++) for (let x = o.left; x < o.right + 3 * g; x++) pixels[i * S * S + y * S + x] = 255
  })
  return { size: S, count: items.length, pixels, labels: Uint16Array.from(items, (t) => t.k), classes: ['a', 'b', 'c', 'd'], groups: Uint32Array.from(items, (t) => t.g) }
}
