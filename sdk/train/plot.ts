/** Loss curves as a small self-contained SVG (no dependencies): one polyline per series, shared axes. */

export interface Series {
  name: string
  color: string
  points: [number, number][]
}

const esc = (s: string): string => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)

export function lossCurvesSvg(series: Series[], o: { title?: string; xLabel?: string; yLabel?: string; width?: number; height?: number } = {}): string {
  const W = o.width ?? 640
  const H = o.height ?? 360
  const m = { l: 60, r: 16, t: 28, b: 40 }
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  const xs = pts.map((p) => p[0])
  const ys = pts.map((p) => p[1])
  const x0 = Math.min(...xs, 0)
  const x1 = Math.max(...xs, 1)
  // robust y range: ignore the first 2% of points' spikes by clipping at the 98th percentile
  const sorted = [...ys].sort((a, b) => a - b)
  const y0 = sorted.length ? sorted[0]! : 0
  const y1 = sorted.length ? sorted[Math.floor(0.98 * (sorted.length - 1))]! : 1
  const span = y1 - y0 || 1
  const sx = (x: number): number => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r)
  const sy = (y: number): number => m.t + (1 - (Math.min(y, y1 + 0.05 * span) - y0) / (span * 1.05)) * (H - m.t - m.b)
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * span)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    o.title ? `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(o.title)}</text>` : '',
    ...ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#ddd"/><text x="${m.l - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${t.toPrecision(4)}</text>`),
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(o.xLabel ?? 'step')}</text>`,
    `<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(o.yLabel ?? 'nats')}</text>`,
    `<text x="${m.l}" y="${H - 8}">${x0}</text><text x="${W - m.r}" y="${H - 8}" text-anchor="end">${x1}</text>`,
  ]
  series.forEach((s, i) => {
    const d = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${d}"/>`)
    parts.push(`<rect x="${W - m.r - 150}" y="${m.t + 4 + i * 16}" width="10" height="10" fill="${s.color}"/><text x="${W - m.r - 134}" y="${m.t + 13 + i * 16}">${esc(s.name)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n')
}
