/**
 * The benchmark's report: one row per figure, with its target and verdict,
 * printed as a text table and written to test/bench/results/ as JSON and
 * Markdown.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url))

/** A figure; with a target it gets PASS or MISS, without one it is for information. */
export interface Row {
  name: string
  value: number
  unit: string
  /** Decimals to print. */
  digits?: number
  target?: { op: '≤' | '≥'; limit: number }
  /** How it was measured, in a few words. */
  how: string
}

export interface Machine {
  cpu: string
  cores: number
  chromium: string
  node: string
  os: string
  /** 1-minute load average when the bench started: above `cores`, something else was busy and figures are noisy. */
  loadAtStart: number
  /** The commit measured, marked when src/ had uncommitted changes. */
  revision: string
  date: string
}

function revision(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trim()
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' + uncommitted src/' : ''}`
  } catch {
    return 'unknown'
  }
}

export function describeMachine(chromiumVersion: string, loadAtStart: number): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    chromium: chromiumVersion,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAtStart,
    revision: revision(),
    date: new Date().toISOString(),
  }
}

export function verdict(row: Row): 'PASS' | 'MISS' | '' {
  if (!row.target) return ''
  const { op, limit } = row.target
  return (op === '≤' ? row.value <= limit : row.value >= limit) ? 'PASS' : 'MISS'
}

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

function cells(row: Row): string[] {
  const target = row.target ? `${row.target.op} ${number(row.target.limit)} ${row.unit}` : ''
  return [row.name, `${number(row.value, row.digits)} ${row.unit}`, target, verdict(row), row.how]
}

const HEADER = ['figure', 'value', 'target', 'result', 'how']

/** One line naming the machine, the versions, the load and the date: the context every figure needs. */
export function machineLine(machine: Machine): string {
  return (
    `${machine.cpu} × ${machine.cores} cores · Chromium ${machine.chromium} · Node ${machine.node} · ${machine.os} · ` +
    `load ${machine.loadAtStart.toFixed(1)} at start · pollen ${machine.revision} · ${machine.date}`
  )
}

/** A plain-text table for the terminal. */
export function formatTable(rows: Row[], machine: Machine, notes: string[]): string {
  const table = [HEADER, ...rows.map(cells)]
  const widths = HEADER.map((_, column) => Math.max(...table.map((line) => line[column]!.length)))
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [
    'Pollen benchmark',
    machineLine(machine),
    '',
    line(HEADER),
    rule,
    ...rows.map((row) => line(cells(row))),
    '',
    ...notes.map((note) => `• ${note}`),
  ].join('\n')
}

function formatMarkdown(rows: Row[], machine: Machine, notes: string[]): string {
  const line = (values: string[]) => `| ${values.join(' | ')} |`
  return [
    '# Pollen benchmark',
    '',
    machineLine(machine),
    '',
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...rows.map((row) => line(cells(row))),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n')
}

/** Writes bench.json (rows, machine, notes and the raw per-run figures) and bench.md. */
export function writeResults(rows: Row[], machine: Machine, notes: string[], raw: unknown): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const json = `${RESULTS_DIR}bench.json`
  const markdown = `${RESULTS_DIR}bench.md`
  const verdicts = rows.map((row) => ({ ...row, result: verdict(row) || undefined }))
  writeFileSync(json, `${JSON.stringify({ machine, rows: verdicts, notes, raw }, null, 2)}\n`)
  writeFileSync(markdown, formatMarkdown(rows, machine, notes))
  return [json, markdown]
}
