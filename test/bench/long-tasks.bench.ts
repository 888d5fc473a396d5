/**
 * `npm run bench` (or `npx vitest run --project bench test/bench/long-tasks.bench.ts`):
 * issue 13, "no long tasks, more throughput". In real Chromium with real
 * IndexedDB, bursts of BURST_EVENTS corpus events (test/corpus/generate.ts,
 * varied chat turns) are logged 20, 100 and 1,000 per task and delivered to a
 * null sink on 127.0.0.1 that answers 200 at once in the proxy's answer shape.
 * For each shape and run: long tasks (PerformanceObserver 'longtask'), each
 * attributed with the Long Animation Frame that holds it (its `scripts`:
 * sourceURL and invoker) to Pollen (/pollen.js), the page's burst loop, or
 * nothing recorded; events/s delivered; then events/s persisted (the sink
 * answers 503, nothing leaves IndexedDB). A baseline page logs nothing, with
 * the same tasks, so the page's and the browser's own long tasks are visible.
 * Prints a Markdown table and writes test/bench/results/long-tasks.{md,json}.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import { gunzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateCorpus } from '../corpus/generate.js'
import { CHROMIUM_ARGS, requireChromium } from '../support/chromium.js'
import { bundle } from './peers/bundle.js'
import { ISOLATED, readBody } from './peers/server.js'
import { describeMachine, RESULTS_DIR } from './report.js'

/** Events of one burst, and how many go in one task. */
const BURST_EVENTS = 10_000
const SHAPES = [20, 100, 1_000]
/** Runs of each shape, each in a fresh context (empty IndexedDB). */
const RUNS = Number(process.env.LONG_TASK_RUNS ?? 5)
const PERSIST_RUNS = Number(process.env.PERSIST_RUNS ?? 1)
/** LONG_TASK_PLAIN=1: the sink does not say it reads gzip, so bodies go as plain JSON (an older proxy; direct mode sends plain too). */
const PLAIN = Boolean(process.env.LONG_TASK_PLAIN)
/** A task longer than this is a long task (the Long Tasks API's own threshold). */
const LONG_MS = 50
/** 10,000 corpus events are ~40 MB of JSON, over the 5 MiB default cap. */
const ROOMY = 64 * 1024 * 1024
const MAX_WAIT_MS = 60_000

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>long tasks</title></head>
<body><script type="module">
import { createClient } from '/pollen.js'
window.createClient = createClient
window.pageReady = true
</script></body></html>`

/**
 * The null sink: reads the envelope (plain or gzip), answers 200 at once with
 * what the proxy answers (`accepted` ids with their `kinds`, `supports`), or
 * 503 while `refuse` is set. Counts distinct event ids and their last arrival.
 */
async function startSink(script: string) {
  const state = { refuse: false, events: new Set<string>(), lastAt: 0, requests: 0, bytes: 0 }
  const server = createServer(async (req, res) => {
    if (req.url === '/') return void res.writeHead(200, { 'Content-Type': 'text/html', ...ISOLATED }).end(PAGE)
    if (req.url === '/pollen.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript', ...ISOLATED }).end(script)
    if (req.url !== '/api/pollen' || req.method !== 'POST') return void res.writeHead(404).end()
    const raw = await readBody(req)
    if (state.refuse) return void res.writeHead(503).end()
    state.requests++
    state.bytes += raw.length
    const body = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw
    const envelope = JSON.parse(body.toString('utf8')) as Record<string, { event_id?: string; session_id?: string }[] | undefined>
    const accepted: string[] = []
    const kinds: string[] = []
    for (const session of envelope.sessions ?? []) accepted.push(session.session_id!) && kinds.push('session')
    for (const event of envelope.events ?? []) {
      accepted.push(event.event_id!) && kinds.push('event')
      state.events.add(event.event_id!)
    }
    for (const update of envelope.updates ?? []) accepted.push(update.event_id!) && kinds.push('update')
    state.lastAt = Date.now()
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted, kinds, rejected: [], supports: PLAIN ? ['seq'] : ['seq', 'gzip'] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    reset() {
      Object.assign(state, { refuse: false, events: new Set<string>(), lastAt: 0, requests: 0, bytes: 0 })
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

interface LongTask {
  at: number
  ms: number
  /** pollen: Pollen's scripts ran longest in it (see isPollens); page: the page's burst loop; unattributed: no script recorded. */
  by: 'pollen' | 'page' | 'unattributed'
  scripts: string[]
}

/**
 * Runs in the page. Logs `events` corpus events (ids removed: log() fills
 * them), `perTask` per task with setTimeout(0) between, under 'longtask' and
 * 'long-animation-frame' observers; with `pollen` false the tasks log nothing
 * (the baseline). Then waits for flush(). Times are epoch ms.
 */
async function burst({ events, perTask, pollen }: { events: number; perTask: number; pollen: boolean }) {
  const w = window as any
  const tasks: { start: number; ms: number }[] = []
  const frames: { start: number; end: number; scripts: { start: number; ms: number; source: string; invoker: string }[] }[] = []
  const longtasks = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, ms: entry.duration })
  })
  longtasks.observe({ type: 'longtask' })
  const loaf = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as any[]) {
      frames.push({
        start: entry.startTime,
        end: entry.startTime + entry.duration,
        scripts: entry.scripts.map((s: any) => ({ start: s.startTime, ms: s.duration, source: s.sourceURL, invoker: s.invoker })),
      })
    }
  })
  const loafSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
  if (loafSupported) loaf.observe({ type: 'long-animation-frame' })
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0))
  const start = performance.now()
  let longestBurstMs = 0
  if (pollen) {
    const { hh, pool } = w
    for (let first = 0; first < events; first += perTask) {
      const t0 = performance.now()
      for (let i = first; i < first + perTask; i++) hh.log(pool[i % pool.length])
      longestBurstMs = Math.max(longestBurstMs, performance.now() - t0)
      await pause()
    }
  } else {
    for (let first = 0; first < events; first += perTask) await pause()
  }
  const logged = performance.now()
  if (pollen) await w.hh.flush()
  const flushed = performance.now()
  // Let the last frames and tasks be reported.
  await new Promise((resolve) => setTimeout(resolve, 200))
  for (const entry of longtasks.takeRecords()) tasks.push({ start: entry.startTime, ms: entry.duration })
  longtasks.disconnect()
  loaf.disconnect()
  const epoch = (ms: number) => performance.timeOrigin + ms
  return {
    start: epoch(start),
    logged: epoch(logged),
    flushed: epoch(flushed),
    longestBurstMs,
    loafSupported,
    stats: pollen ? w.hh.stats() : undefined,
    tasks: tasks.map((task) => {
      const end = task.start + task.ms
      // The scripts that ran inside this task, from the frame that holds it.
      const scripts = frames.flatMap((frame) => (frame.end >= task.start && frame.start <= end ? frame.scripts : [])).filter((s) => s.start >= task.start - 1 && s.start <= end)
      return { at: epoch(task.start), ms: task.ms, scripts }
    }),
  }
}

const corpus = generateCorpus().map((event) => {
  const { event_id: _, session_id: __, parent_id: ___, ...rest } = event as Record<string, unknown>
  return rest
})
let sink: Awaited<ReturnType<typeof startSink>>
let browser: Browser
let loadAtStart = 0

interface Run {
  shape: number
  pollen: boolean
  refuse: boolean
  longTasks: LongTask[]
  longestBurstMs: number
  loafSupported: boolean
  loggedMs: number
  flushedMs: number
  deliveredMs?: number
  delivered: number
}
const runs: Run[] = []

async function openPage(pollen: boolean): Promise<Page> {
  const context = await browser.newContext()
  await context.addInitScript(() => {
    for (const level of ['debug', 'log', 'info', 'warn', 'error'] as const) console[level] = () => {}
  })
  const page = await context.newPage()
  await page.goto(sink.url + '/')
  await page.waitForFunction(() => (window as any).pageReady === true)
  if (pollen) {
    await page.evaluate(
      async ({ corpus, maxQueueBytes }) => {
        const w = window as any
        w.pool = corpus
        w.hh = w.createClient({ project: 'Simple RAG', endpoint: '/api/pollen', maxQueueBytes })
        // Warm-up: opens the database, sends the session start (and learns the sink reads gzip), compiles the hot paths.
        for (let i = 0; i < 200; i++) w.hh.log(corpus[i])
        await w.hh.flush()
      },
      { corpus, maxQueueBytes: ROOMY },
    )
  }
  return page
}

/**
 * Whether a script entry of a long animation frame is Pollen's: its code is
 * in /pollen.js, or the browser called it back for IndexedDB or fetch, which
 * only Pollen uses in this page (a callback that is a native `resolve` has no
 * sourceURL, so the invoker tells).
 */
const isPollens = (script: { source: string; invoker: string }) =>
  script.source.endsWith('/pollen.js') || /^(IDB|Response\.|Window\.fetch|Blob\.)/.test(script.invoker)

/** Who ran longest in a long task: Pollen, the page's code (the burst loop and its log() calls), or nothing recorded. */
function attribute(task: { at: number; ms: number; scripts: { ms: number; source: string; invoker: string }[] }): LongTask {
  let pollenMs = 0
  let pageMs = 0
  for (const script of task.scripts) {
    if (isPollens(script)) pollenMs += script.ms
    else pageMs += script.ms
  }
  const by = task.scripts.length === 0 ? 'unattributed' : pollenMs >= pageMs ? 'pollen' : 'page'
  return { at: task.at, ms: task.ms, by, scripts: task.scripts.map((s) => `${s.invoker} (${s.source.replace(sink.url, '') || '?'}) ${s.ms.toFixed(0)} ms`) }
}

async function measure(shape: number, { pollen, refuse }: { pollen: boolean; refuse: boolean }): Promise<Run> {
  const page = await openPage(pollen)
  sink.reset()
  sink.state.refuse = refuse
  const result = await page.evaluate(burst, { events: BURST_EVENTS, perTask: shape, pollen })
  if (pollen && !refuse) {
    const end = Date.now() + MAX_WAIT_MS
    while (sink.state.events.size < BURST_EVENTS && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const run: Run = {
    shape,
    pollen,
    refuse,
    longTasks: result.tasks.map(attribute),
    longestBurstMs: result.longestBurstMs,
    loafSupported: result.loafSupported,
    loggedMs: result.logged - result.start,
    flushedMs: result.flushed - result.start,
    deliveredMs: pollen && !refuse ? sink.state.lastAt - result.start : undefined,
    delivered: sink.state.events.size,
  }
  await page.context().close()
  runs.push(run)
  return run
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

function table(): string {
  const lines = [
    `| burst shape | page | long tasks per run (${RUNS} runs) | total ms (max run) | pollen's / page's / unattributed | longest | longest burst task (log() calls) | delivered events/s (median) | persisted events/s (median of ${PERSIST_RUNS}) |`,
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const shape of SHAPES) {
    for (const pollen of [false, true]) {
      const some = runs.filter((run) => run.shape === shape && run.pollen === pollen && !run.refuse)
      if (some.length === 0) continue
      const counts = some.map((run) => run.longTasks.length)
      const all = some.flatMap((run) => run.longTasks)
      const by = (who: LongTask['by']) => all.filter((task) => task.by === who).length
      const delivered = some.filter((run) => run.deliveredMs !== undefined).map((run) => run.delivered / (run.deliveredMs! / 1000))
      const persisted = runs.filter((run) => run.shape === shape && run.refuse).map((run) => BURST_EVENTS / (run.flushedMs / 1000))
      lines.push(
        `| ${shape.toLocaleString('en-US')} per task | ${pollen ? 'pollen' : 'baseline (logs nothing)'} | ${counts.join(', ')} | ${Math.max(...some.map((run) => sum(run.longTasks.map((t) => t.ms)))).toFixed(0)} | ${by('pollen')} / ${by('page')} / ${by('unattributed')} | ${Math.max(0, ...all.map((t) => t.ms)).toFixed(0)} ms | ${pollen ? `${Math.max(...some.map((run) => run.longestBurstMs)).toFixed(0)} ms` : '–'} | ${pollen ? median(delivered).toFixed(0) : '–'} | ${pollen && persisted.length ? median(persisted).toFixed(0) : '–'} |`,
      )
    }
  }
  return lines.join('\n')
}

beforeAll(async () => {
  loadAtStart = os.loadavg()[0]!
  const { code } = await bundle(`export { createClient } from 'pollen'`)
  sink = await startSink(code)
  browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  const version = browser?.version() ?? 'unknown'
  await browser?.close()
  await sink?.close()
  if (runs.length === 0) return
  const machine = describeMachine(version, loadAtStart)
  const notes = [
    `${BURST_EVENTS.toLocaleString('en-US')} events of the chat corpus (600 varied turns, ids removed so that log() fills them) per run, logged N per task with setTimeout(0) between; each run in a fresh browser context (empty IndexedDB), after a 200-event warm-up; maxQueueBytes 64 MiB.`,
    `Long tasks: PerformanceObserver('longtask') (> ${LONG_MS} ms) from the first log() until flush() resolved and 200 ms more. Each is attributed with the long-animation-frame entries that overlap it: the scripts (sourceURL, invoker) that ran in it; pollen when Pollen's scripts ran longest (code in /pollen.js, or IndexedDB and fetch callbacks, which only Pollen uses here), page when the page's own code did (the burst loop: its log() calls run inside the page's setTimeout task, so the longest such task is also shown), unattributed when no script over 5 ms was recorded (browser work such as IndexedDB commits, or GC).`,
    `Delivered: distinct events at the null sink ÷ (first log() → last request answered). Persisted: the sink answers 503, so nothing leaves IndexedDB; BURST ÷ (first log() → flush() resolved).`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, Chromium ${machine.chromium}, load ${loadAtStart.toFixed(1)} at start; revision ${machine.revision}.`,
  ]
  const markdown = `${table()}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`
  mkdirSync(RESULTS_DIR, { recursive: true })
  writeFileSync(`${RESULTS_DIR}long-tasks.md`, markdown)
  writeFileSync(`${RESULTS_DIR}long-tasks.json`, `${JSON.stringify({ machine, runs }, null, 2)}\n`)
  console.log(`${markdown}\nWritten: ${RESULTS_DIR}long-tasks.{md,json}`)
})

describe('Long tasks and throughput of 10,000-event bursts (issue 13)', () => {
  for (const shape of SHAPES) {
    test(`${shape} per task: baseline page, then pollen delivered (${RUNS} runs) and persisted (${PERSIST_RUNS} runs)`, async () => {
      await measure(shape, { pollen: false, refuse: false })
      for (let run = 0; run < RUNS; run++) {
        const result = await measure(shape, { pollen: true, refuse: false })
        expect(result.delivered, 'distinct events at the sink').toBe(BURST_EVENTS)
      }
      for (let run = 0; run < PERSIST_RUNS; run++) await measure(shape, { pollen: true, refuse: true })
    }, 600_000)
  }
})
