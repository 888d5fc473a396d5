/**
 * The peers bench as Markdown: one row per library (per setting tried), the
 * targets with their verdicts (report.ts's conventions), how each row ran,
 * and the notes a reader needs to trust the figures.
 */
import { machineLine, verdict, type Machine, type Row } from '../report.js'
import { PACKAGES, type Library } from './library.js'
import type { PeerResult, Size } from './result.js'

const number = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—'

/** `log()` must be this many times cheaper than posthog-js's `capture()`, and Pollen's entry this many times smaller than the next-smallest. */
const CHEAPER_THAN_CAPTURE = 3
const SMALLER_THAN_NEXT = 2

/** The issue's targets as report.ts rows: `log()` ≥ 3× cheaper than `capture()`, the smallest entry by a wide margin. */
export function peerTargets(results: PeerResult[], sizes: Partial<Record<Library, Size>>): Row[] {
  const rows: Row[] = []
  const pollen = results.find((result) => result.key === 'pollen')
  // The row where every capture() call captures: with the default rate limit most timed calls are dropped.
  const capture = results.find((result) => result.key === 'posthog-unlimited')
  const capped = results.find((result) => result.key === 'posthog')
  if (pollen && capture) {
    rows.push({
      name: 'capture() ÷ log(), median µs per call',
      value: capture.perCall.medianUs / pollen.perCall.medianUs,
      unit: '×',
      digits: 1,
      target: { op: '≥', limit: CHEAPER_THAN_CAPTURE },
      how:
        `${number(capture.perCall.medianUs)} µs ÷ ${number(pollen.perCall.medianUs)} µs, posthog-js with its rate limit off so that each call captures` +
        (capped ? `; with its default limit (most calls dropped): ${number(capped.perCall.medianUs / pollen.perCall.medianUs, 1)}×` : ''),
    })
  }
  const own = sizes.pollen
  const others = (Object.entries(sizes) as [Library, Size][]).filter(([library]) => library !== 'pollen')
  if (own && others.length > 0) {
    const [nextName, next] = others.reduce((a, b) => (b[1].gzip < a[1].gzip ? b : a))
    rows.push({
      name: 'next-smallest entry ÷ Pollen, min+gzip',
      value: next.gzip / own.gzip,
      unit: '×',
      digits: 1,
      target: { op: '≥', limit: SMALLER_THAN_NEXT },
      how: `${PACKAGES[nextName]} ${number(next.gzip / 1000, 1)} kB ÷ pollen ${number(own.gzip / 1000, 1)} kB ("by a wide margin" read as at least ${SMALLER_THAN_NEXT}×)`,
    })
  }
  return rows
}

/** What stands out about a row's run: budgets that cut it short, drops, losses, duplicates. */
function remarks(result: PeerResult, budget: { timed: number; events: number }): string[] {
  const { perCall, burst } = result
  const out: string[] = []
  if (perCall.timed < budget.timed) {
    const why = perCall.stalledMs === undefined ? 'time budget' : `stopped when the page stalled ${number(perCall.stalledMs / 1000, 1)} s`
    out.push(`${why}: ${number(perCall.timed)} calls timed, after ${number(perCall.warmed)} warm-up`)
  }
  if (perCall.drainedMs === undefined) out.push('the warm-up events were still going out when the timed calls began')
  if (perCall.returned < perCall.timed) out.push(`${number(perCall.timed - perCall.returned)} of the timed calls dropped their event`)
  if (burst.calls < budget.events) {
    const why = burst.stalledMs === undefined ? 'time budget' : `stopped when the page stalled ${number(burst.stalledMs / 1000, 1)} s`
    out.push(`${why}: ${number(burst.calls)} of ${number(budget.events)} calls made in the end-to-end run, in ${number(burst.callsMs / 1000, 1)} s`)
  }
  if (burst.returned < burst.calls) out.push(`${number(burst.calls - burst.returned)} calls dropped their event (returned nothing)`)
  if (burst.discarded > 0) {
    const reasons = Object.entries((burst.report as { drops?: Record<string, number> } | undefined)?.drops ?? {})
    out.push(`${number(burst.discarded)} events discarded by the library (its own count${reasons.length > 0 ? `: ${reasons.map(([reason, count]) => `${reason} ${number(count)}`).join(', ')}` : ''})`)
  }
  const missing = burst.returned - burst.discarded - burst.delivered
  if (missing > 0) out.push(`${number(missing)} events it took had not arrived when the wait ended`)
  if (burst.duplicates > 0) out.push(`${number(burst.duplicates)} duplicate deliveries`)
  return out
}

export function peersMarkdown(input: {
  results: PeerResult[]
  sizes: Partial<Record<Library, Size>>
  machine: Machine
  budget: { timed: number; events: number }
  notes: string[]
}): string {
  const { results, sizes, machine, budget, notes } = input
  const line = (values: string[]) => `| ${values.join(' | ')} |`
  const header = [
    'library',
    'µs per call, median',
    'µs per call, p99',
    'long tasks > 50 ms',
    'events delivered',
    'events/s end to end',
    'requests per 1,000 events',
    'bytes per event on the wire',
    'entry min+gzip',
    'how',
  ]
  const rows = results.map((result) => {
    const { perCall, burst } = result
    const size = sizes[result.library]
    return line([
      `**${result.label}**`,
      number(perCall.medianUs),
      number(perCall.p99Us),
      `${number(burst.longTasks)} (${number(burst.longTaskMs)} ms)`,
      `${number(burst.delivered)} of ${number(burst.calls)}`,
      number(burst.eventsPerSecond),
      number((burst.requests / burst.delivered) * 1000, 1),
      `${number(burst.bytes / burst.delivered)} B`,
      size ? `${number(size.gzip / 1000, 1)} kB` : '—',
      [`\`${result.call}\`; ${result.settings}`, ...remarks(result, budget)].join('; '),
    ])
  })
  const targets = peerTargets(results, sizes).map((row) =>
    line([row.name, `${number(row.value, row.digits)}${row.unit}`, row.target ? `${row.target.op} ${number(row.target.limit)}${row.unit}` : '', verdict(row), row.how]),
  )
  return [
    '# Pollen and its peers',
    '',
    machineLine(machine),
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows,
    '',
    line(['target', 'value', 'target', 'result', 'how']),
    line(['---', '---', '---', '---', '---']),
    ...targets,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n')
}
