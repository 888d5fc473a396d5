/**
 * The peers bench as an SVG bar chart, written by hand: one group per metric
 * (µs per call, events/s delivered, kB min+gzip), one bar per library, each
 * group scaled to its own largest value, every bar labelled with its value
 * and its ratio to Pollen.
 */
import type { Machine } from '../report.js'
import { PACKAGES, type Library } from './library.js'
import type { PeerResult, Size } from './result.js'

interface Bar {
  label: string
  value: number
  text: string
  color: string
}

interface Group {
  title: string
  bars: Bar[]
}

const COLORS: Record<string, string> = {
  pollen: '#d08c00',
  posthog: '#1d4aff',
  'posthog-unlimited': '#6f86ff',
  'posthog-memory': '#a9b8ff',
  mixpanel: '#7a3fe4',
}

const WIDTH = 980
const LABEL_X = 24
const BAR_X = 290
const BAR_MAX = 360
const BAR_HEIGHT = 20
const BAR_GAP = 8
const GROUP_GAP = 26
const TITLE_HEIGHT = 28

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const number = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** "12× Pollen" or "0.05× Pollen"; nothing for Pollen itself. */
function ratio(value: number, pollen: number | undefined, label: string): string {
  if (label === 'pollen' || !pollen || !Number.isFinite(value) || value <= 0) return ''
  const r = value / pollen
  return ` · ${number(r, r >= 10 ? 0 : r >= 1 ? 1 : 2)}× Pollen`
}

function groups(results: PeerResult[], sizes: Partial<Record<Library, Size>>, events: number): Group[] {
  const pollen = results.find((result) => result.key === 'pollen')
  const perCall: Bar[] = results.map((result) => ({
    label: result.label,
    value: result.perCall.medianUs,
    text: `${number(result.perCall.medianUs)} µs${ratio(result.perCall.medianUs, pollen?.perCall.medianUs, result.key)}${result.perCall.returned < result.perCall.timed ? ' (calls dropped)' : ''}`,
    color: COLORS[result.key] ?? '#888',
  }))
  const throughput: Bar[] = results.map((result) => {
    const { burst } = result
    const made = burst.calls < events ? `${number(burst.calls)} of ${number(events)} calls made` : ''
    const arrived = burst.delivered < burst.calls ? `${number(burst.delivered)} of ${number(burst.calls)} events arrived` : ''
    const partial = made || arrived ? ` (${[made, arrived].filter(Boolean).join(', ')})` : ''
    return {
      label: result.label,
      value: Number.isFinite(burst.eventsPerSecond) ? burst.eventsPerSecond : 0,
      text: `${number(burst.eventsPerSecond)}/s${ratio(burst.eventsPerSecond, pollen?.burst.eventsPerSecond, result.key)}${partial}`,
      color: COLORS[result.key] ?? '#888',
    }
  })
  const size: Bar[] = (Object.entries(sizes) as [Library, Size][]).map(([library, { gzip }]) => ({
    label: PACKAGES[library],
    value: gzip / 1000,
    text: `${number(gzip / 1000, 1)} kB${ratio(gzip, sizes.pollen?.gzip, library)}`,
    color: COLORS[library] ?? '#888',
  }))
  return [
    { title: 'Main-thread µs per call, median (lower is better)', bars: perCall },
    { title: 'Events/s delivered end to end (higher is better)', bars: throughput },
    { title: 'Entry size, kB min+gzip (lower is better)', bars: size },
  ]
}

/** The chart as a standalone SVG document; `events` is the number of calls each end-to-end run aimed at. */
export function peersChart(results: PeerResult[], sizes: Partial<Record<Library, Size>>, machine: Machine, events: number): string {
  const parts: string[] = []
  let y = 70
  for (const group of groups(results, sizes, events)) {
    parts.push(`<text x="${LABEL_X}" y="${y + 18}" class="group">${escape(group.title)}</text>`)
    y += TITLE_HEIGHT
    const max = Math.max(...group.bars.map((bar) => bar.value))
    for (const bar of group.bars) {
      const width = max > 0 ? Math.max(2, (bar.value / max) * BAR_MAX) : 2
      const middle = y + BAR_HEIGHT / 2 + 5
      parts.push(
        `<text x="${LABEL_X + 12}" y="${middle}" class="label">${escape(bar.label)}</text>`,
        `<rect x="${BAR_X}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${bar.color}"/>`,
        `<text x="${(BAR_X + width + 8).toFixed(1)}" y="${middle}" class="value">${escape(bar.text)}</text>`,
      )
      y += BAR_HEIGHT + BAR_GAP
    }
    y += GROUP_GAP
  }
  const height = y + 20
  const subtitle = `${machine.cpu} × ${machine.cores} cores · Chromium ${machine.chromium.split('.')[0]} · load ${machine.loadAtStart.toFixed(1)} at start · ${machine.date.slice(0, 10)}`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    '<style>.title{font-size:18px;font-weight:700;fill:#111}.sub{font-size:12px;fill:#555}.group{font-size:14px;font-weight:600;fill:#222}.label{font-size:13px;fill:#333}.value{font-size:12px;fill:#222}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${LABEL_X}" y="30" class="title">Pollen, posthog-js and mixpanel-browser capturing the seed event</text>`,
    `<text x="${LABEL_X}" y="50" class="sub">Real Chromium, a recording server on 127.0.0.1 · ${escape(subtitle)}</text>`,
    ...parts,
    `<text x="${LABEL_X}" y="${height - 14}" class="sub">Each group is scaled to its largest bar. How each row ran, and what it dropped: peers.md beside this file.</text>`,
    '</svg>',
    '',
  ].join('\n')
}
