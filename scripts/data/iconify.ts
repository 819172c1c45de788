/** Reads iconify JSON sets: which sets qualify, and every icon (aliases with rotate/flip resolved) as SVG. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import setsConfig from './sets.json' with { type: 'json' }

export interface IconSetInfo {
  prefix: string
  name: string
  total: number
  author: { name: string; url?: string }
  license: { title: string; spdx?: string; url?: string }
  category?: string
  palette?: boolean
}

export interface IconSetJson {
  prefix: string
  info?: IconSetInfo
  icons: Record<string, IconEntry>
  aliases?: Record<string, AliasEntry>
  width?: number
  height?: number
  left?: number
  top?: number
}

interface IconEntry { body: string; width?: number; height?: number; left?: number; top?: number; hidden?: boolean; rotate?: number; hFlip?: boolean; vFlip?: boolean }
interface AliasEntry { parent: string; width?: number; height?: number; left?: number; top?: number; hidden?: boolean; rotate?: number; hFlip?: boolean; vFlip?: boolean }

/** One drawable icon: its name in the set and a standalone SVG (black ink via `color`). */
export interface IconSvg {
  name: string
  svg: string
  width: number
  height: number
}

/** The library group of a set (sets by the same designers share one). */
export function groupOf(prefix: string): string {
  for (const [group, members] of Object.entries(setsConfig.groups as Record<string, string[]>)) {
    if (members.includes(prefix)) return group
  }
  return prefix
}

/** Why a set is not used, or null when it qualifies. */
export function rejectSet(info: IconSetInfo, prefix: string): string | null {
  if (setsConfig.exclude.includes(prefix)) return 'excluded (duplicate, animated or logos)'
  if (info.palette) return 'multicolour'
  if (info.category && setsConfig.excludeCategories.includes(info.category)) return `category ${info.category}`
  const spdx = info.license.spdx ?? info.license.title
  if (!setsConfig.licenses.includes(spdx)) return `license ${spdx}`
  return null
}

/** The collections index of an `@iconify/json` install. */
export function readCollections(root: string): Record<string, IconSetInfo> {
  return JSON.parse(readFileSync(join(root, 'collections.json'), 'utf8')) as Record<string, IconSetInfo>
}

export function readIconSet(root: string, prefix: string): IconSetJson {
  return JSON.parse(readFileSync(join(root, 'json', `${prefix}.json`), 'utf8')) as IconSetJson
}

const ANIMATED = /<animate|<set\b|<animateTransform|<animateMotion/

/**
 * Every visible, non-animated icon and alias of a set as a standalone SVG. Aliases inherit their parent's body
 * and combine its rotate/flip with their own (iconify semantics: rotate in quarter turns, flips first).
 */
export function iconsOf(set: IconSetJson): { icons: IconSvg[]; animated: number } {
  const out: IconSvg[] = []
  let animated = 0
  const resolve = (name: string, depth = 0): (IconEntry & { rotate: number; hFlip: boolean; vFlip: boolean }) | null => {
    const icon = set.icons[name]
    if (icon) return { ...icon, rotate: icon.rotate ?? 0, hFlip: !!icon.hFlip, vFlip: !!icon.vFlip }
    const alias = set.aliases?.[name]
    if (!alias || depth > 5) return null
    const parent = resolve(alias.parent, depth + 1)
    if (!parent) return null
    return {
      ...parent,
      ...(alias.width !== undefined ? { width: alias.width } : {}),
      ...(alias.height !== undefined ? { height: alias.height } : {}),
      ...(alias.left !== undefined ? { left: alias.left } : {}),
      ...(alias.top !== undefined ? { top: alias.top } : {}),
      rotate: (parent.rotate + (alias.rotate ?? 0)) % 4,
      hFlip: parent.hFlip !== !!alias.hFlip,
      vFlip: parent.vFlip !== !!alias.vFlip,
      hidden: !!alias.hidden,
    }
  }
  const names = [...Object.keys(set.icons), ...Object.keys(set.aliases ?? {})].sort()
  for (const name of names) {
    const icon = resolve(name)
    if (!icon || icon.hidden) continue
    if (ANIMATED.test(icon.body)) { animated++; continue }
    const left = icon.left ?? set.left ?? 0
    const top = icon.top ?? set.top ?? 0
    const width = icon.width ?? set.width ?? 16
    const height = icon.height ?? set.height ?? 16
    const body = transformBody(icon.body, left, top, width, height, icon.rotate, icon.hFlip, icon.vFlip)
    const vb = icon.rotate % 2 === 1 ? `${left} ${top} ${height} ${width}` : `${left} ${top} ${width} ${height}`
    const [w, h] = icon.rotate % 2 === 1 ? [height, width] : [width, height]
    out.push({ name, width: w, height: h, svg: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${vb}" width="${w}" height="${h}" color="#000" style="color:#000">${body}</svg>` })
  }
  return { icons: out, animated }
}

function transformBody(body: string, left: number, top: number, width: number, height: number, rotate: number, hFlip: boolean, vFlip: boolean): string {
  const t: string[] = []
  if (hFlip) t.push(`translate(${2 * left + width} 0) scale(-1 1)`)
  if (vFlip) t.push(`translate(0 ${2 * top + height}) scale(1 -1)`)
  const cx = left + width / 2
  const cy = top + height / 2
  if (rotate === 1) t.unshift(`rotate(90 ${left + height / 2} ${top + height / 2})`)
  if (rotate === 2) t.unshift(`rotate(180 ${cx} ${cy})`)
  if (rotate === 3) t.unshift(`rotate(-90 ${left + width / 2} ${top + width / 2})`)
  return t.length ? `<g transform="${t.join(' ')}">${body}</g>` : body
}
