/**
 * `npm run bench` (or `npx vitest run --project bench test/bench/peers.bench.ts`):
 * Pollen side by side with posthog-js and mixpanel-browser, in one run, in
 * real Chromium, each capturing the seed event to a recording server on
 * 127.0.0.1 (see peers/server.ts). For each: main-thread cost per call,
 * long tasks, events/s delivered end to end, requests and bytes on the wire,
 * and the min+gzip size of its entry as an app would bundle it. Prints a
 * Markdown table and writes test/bench/results/peers.{md,json,svg}.
 *
 * Every library keeps its defaults but for the settings listed in its row.
 * Where a library cannot finish in the time budget, or drops events, the
 * table says what it did get done: the figures are not tuned to look alike.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CHROMIUM_ARGS, requireChromium } from '../support/chromium.js'
import { loadSeedEvent } from '../support/seed-event.js'
import { bundle } from './peers/bundle.js'
import { peersChart } from './peers/chart.js'
import { burst, libraryCounts, pacedCalls, prepare, takeLongTasks } from './peers/measure.js'
import type { Library } from './peers/library.js'
import type { PeerResult, Size } from './peers/result.js'
import { startPeerServer, type PeerServer } from './peers/server.js'
import { peersMarkdown, peerTargets } from './peers/table.js'
import { describeMachine, RESULTS_DIR, type Machine } from './report.js'

/**
 * A phase also stops after its time budget, or once a pause between tasks
 * took over STALL_MS (the page had stopped responding).
 */
const STALL_MS = 1_000
/** Calls before the clock, and calls timed alone. */
const WARMUP = { calls: 3_000, ms: 1_500, stallMs: STALL_MS }
const TIMED = { calls: 2_000, ms: 5_000, stallMs: STALL_MS }
/** Calls per task while timing single calls (as client.bench.ts). */
const TIMED_PER_TASK = 20
/** Longest wait for the warm-up's events to reach the server before the timed calls. */
const DRAIN_MS = 5_000
/** The end-to-end run: this many calls, PER_TASK per task, cut short after `ms`. */
const EVENTS = { calls: 10_000, ms: 8_000, stallMs: STALL_MS }
const PER_TASK = 50
/** Longest wait, after the last call, for the events the library took to reach the server. */
const MAX_WAIT_MS = 15_000
/** Distinct inputs, cloned from the seed before any clock runs. */
const POOL = 1_000

interface Variant {
  key: string
  library: Library
  label: string
  call: string
  /** Init options beyond the page fixture's own (see peers/pages/). */
  options?: Record<string, unknown>
  /** Every setting that is not the library's default, and why. */
  settings: string
}

/**
 * posthog-js flags headless Chromium as a bot (`navigator.webdriver`) and then
 * sends nothing: `opt_out_useragent_filter` is what its own message says to
 * set in end-to-end tests.
 */
const POSTHOG_BOT = { opt_out_useragent_filter: true }
const UNLIMITED = { events_per_second: 1e6, events_burst_limit: 1e6 }
const POSTHOG_SETTINGS = 'autocapture: false, capture_pageview: false, disable_session_recording: true (only the events we send); opt_out_useragent_filter: true (headless Chromium counts as a bot: nothing is sent without it)'

const VARIANTS: Variant[] = [
  { key: 'pollen', library: 'pollen', label: 'pollen', call: 'hh.log(event)', settings: "proxy mode (endpoint '/api/pollen'), all defaults" },
  { key: 'posthog', library: 'posthog', label: 'posthog-js', call: "posthog.capture('Model Completion', properties)", options: POSTHOG_BOT, settings: POSTHOG_SETTINGS },
  {
    key: 'posthog-unlimited',
    library: 'posthog',
    label: 'posthog-js, rate limit off',
    call: "posthog.capture('Model Completion', properties)",
    options: { ...POSTHOG_BOT, rate_limiting: UNLIMITED },
    settings: 'as above, plus rate_limiting { events_per_second, events_burst_limit: 1e6 }: by default it drops what comes faster than 10/s after a burst of 100; this row captures every event',
  },
  {
    key: 'posthog-memory',
    library: 'posthog',
    label: 'posthog-js, rate limit off, memory',
    call: "posthog.capture('Model Completion', properties)",
    options: { ...POSTHOG_BOT, rate_limiting: UNLIMITED, persistence: 'memory' },
    settings: "as above, plus persistence: 'memory' (the default, 'localStorage+cookie', writes both on every capture): its cheapest capture",
  },
  { key: 'mixpanel', library: 'mixpanel', label: 'mixpanel-browser', call: "mixpanel.track('Model Completion', properties)", settings: 'all defaults (batch_requests: true, persistence: cookie, queue in localStorage)' },
]

/** mixpanel-browser's lighter entry, without the session recorder, that its README offers: measured for the notes. */
const MIXPANEL_CORE = `export { default } from 'mixpanel-browser/src/loaders/loader-module-core'`
let mixpanelCore: Size | undefined

/** Each library's entry as an app imports it. */
const ENTRIES: Record<Library, string> = {
  pollen: `export { createClient } from 'pollen'`,
  posthog: `export { default } from 'posthog-js'`,
  mixpanel: `export { default } from 'mixpanel-browser'`,
}

const seed = loadSeedEvent()
const pageFixture = (library: Library) => fileURLToPath(new URL(`./peers/pages/${library}.ts`, import.meta.url))
let server: PeerServer
let browser: Browser
let loadAtStart = 0
const sizes: Partial<Record<Library, Size>> = {}
const results: PeerResult[] = []

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

beforeAll(async () => {
  loadAtStart = os.loadavg()[0]!
  const scripts = {} as Record<Library, string>
  for (const library of Object.keys(ENTRIES) as Library[]) {
    scripts[library] = (await bundle(`export { peer } from ${JSON.stringify(pageFixture(library))}`)).code
  }
  server = await startPeerServer(scripts)
  browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  const chromiumVersion = browser?.version() ?? 'unknown'
  await browser?.close()
  await server?.close()
  if (results.length === 0) return
  const machine = describeMachine(chromiumVersion, loadAtStart)
  const notes = explain(machine)
  const markdown = peersMarkdown({ results, sizes, machine, budget: { timed: TIMED.calls, events: EVENTS.calls }, notes })
  mkdirSync(RESULTS_DIR, { recursive: true })
  const files = { md: markdown, svg: peersChart(results, sizes, machine, EVENTS.calls), json: `${JSON.stringify({ machine, results, sizes, targets: peerTargets(results, sizes), notes }, null, 2)}\n` }
  for (const [extension, text] of Object.entries(files)) writeFileSync(`${RESULTS_DIR}peers.${extension}`, text)
  console.log(`${markdown}\nWritten: ${Object.keys(files).map((extension) => `${RESULTS_DIR}peers.${extension}`).join(', ')}`)
})

const kB = (size: Size | undefined) => (size ? `${(size.gzip / 1000).toFixed(1)} kB min+gzip` : 'not measured')

/** The notes under the table: how the figures were taken, and what to keep in mind reading them. */
function explain(machine: Machine): string[] {
  const step = results[0]?.perCall.clockStepUs ?? Number.NaN
  const notes = [
    `The seed event (test/fixtures/seed-event.json, ${JSON.stringify(seed).length.toLocaleString('en-US')} B of JSON without its ids); each library adds its own id, timestamps and context. posthog-js and mixpanel-browser get its fields as the properties of an event named 'Model Completion'.`,
    `Each row runs twice, each time in a fresh browser context (empty storage) on a page of its own, cross-origin isolated: performance.now() moves in ${step.toFixed(0)} µs steps, so single calls are ±${step.toFixed(0)} µs.`,
    `µs per call: ${WARMUP.calls.toLocaleString('en-US')} warm-up calls (at most ${WARMUP.ms / 1000} s), a wait until the server has their events (at most ${DRAIN_MS / 1000} s), then ${TIMED.calls.toLocaleString('en-US')} calls each timed alone (at most ${TIMED.ms / 1000} s); ${TIMED_PER_TASK} calls per task with setTimeout(0) between. Only the synchronous call is timed; work a library defers (storage, sending) shows up in the long tasks.`,
    `Every phase of calls also stops once a setTimeout(0) between two tasks took over ${STALL_MS / 1000} s: the page had stopped responding, and more calls would only pile up more work (the rows say when that happened).`,
    `End to end: ${EVENTS.calls.toLocaleString('en-US')} calls, ${PER_TASK} per task with setTimeout(0) between, as an app would issue them (no new task after ${EVENTS.ms / 1000} s); events/s = distinct events the server decoded ÷ (first call → the last one's arrival). The wait ends when the server has every event the library took (a dropped call returns nothing; Pollen also counts the events it discarded, e.g. evicted at its queue cap), or ${MAX_WAIT_MS / 1000} s after the last call.`,
    'The events are copies of one seed event: gzip (posthog-js) compresses them far better than it would varied, real events, so its bytes per event are a best case.',
    'Long tasks: a PerformanceObserver("longtask") from the first call until the wait for delivery ended: count and total duration.',
    "console.* are no-ops in every page: with Playwright attached each console call is serialised to the test runner, which makes it far slower than in a user's browser without DevTools; posthog-js logs an error for every event its rate limit drops.",
    'Requests and bytes: every request the library sent to its API during that run (posthog-js with its default rate limit also sends a `$$client_ingestion_warning` event in a request of its own each time the limit starts dropping); bytes are request bodies as sent (posthog-js gzips its batches; mixpanel-browser sends base64 in a form body to a host that is not mixpanel.com), HTTP headers not counted.',
    `Sizes: Vite build of each entry as an app imports it (\`export { createClient } from 'pollen'\`, \`export { default } from 'posthog-js'\`, \`export { default } from 'mixpanel-browser'\`), NODE_ENV production, minified, gzip -9; 1 kB = 1,000 B. posthog-js also loads code from its server at run time (here /static/…/surveys.js, answered empty): not counted. mixpanel-browser's default entry includes its session recorder; the entry its README offers without it, \`mixpanel-browser/src/loaders/loader-module-core\`, is ${kB(mixpanelCore)}.`,
    'mixpanel-browser keeps its batch queue in localStorage, and each track() reads and rewrites the whole queue there under a localStorage lock (request-queue.js, `_enqueuePersisted`): its work per event grows with the backlog, which is what stalls its page.',
    "mixpanel-browser truncates every string property to 255 characters before sending: the seed's longest metric explanation does not arrive whole.",
  ]
  if (machine.loadAtStart > machine.cores) {
    notes.push(`Load average ${machine.loadAtStart.toFixed(1)} on ${machine.cores} cores when the bench started: other processes competed for the CPU, so all figures are pessimistic.`)
  }
  return notes
}

/** A fresh context (empty storage), the library's page, the library started and its inputs made. */
async function openPeer(variant: Variant): Promise<{ page: Page; clockStepUs: number; counts: boolean }> {
  const context = await browser.newContext()
  // With Playwright attached, every console call is sent to the test runner
  // (≈0.6 ms each when this bench was written), which a user's browser
  // without DevTools does not do; posthog-js logs an error for every event
  // its rate limit drops.
  await context.addInitScript(() => {
    for (const level of ['debug', 'log', 'info', 'warn', 'error'] as const) console[level] = () => {}
  })
  const page = await context.newPage()
  await page.goto(`${server.url}/${variant.library}/`)
  await page.waitForFunction(() => (window as unknown as { peerReady?: boolean }).peerReady === true)
  const setup = await page.evaluate(prepare, { seed, pool: POOL, options: variant.options })
  expect(setup.isolated, 'the page is cross-origin isolated (5 µs clock)').toBe(true)
  // Let the start-up requests (posthog-js's remote config) finish before anything is counted.
  await page.waitForTimeout(1_000)
  // Asked now: later the page may be too busy with its library's work to answer soon.
  const { counts } = await page.evaluate(libraryCounts)
  return { page, clockStepUs: setup.clockStepUs, counts }
}

/**
 * Waits until the server holds the `taken` events of `library` that the page
 * has not discarded (asked of the library when it `counts` them), at most `maxMs`.
 */
async function awaitDelivery({ page, counts }: { page: Page; counts: boolean }, library: Library, taken: number, maxMs: number) {
  const start = Date.now()
  for (;;) {
    const discarded = counts ? (await page.evaluate(libraryCounts)).discarded : 0
    const delivered = new Set(server.arrivals(library).flatMap((arrival) => arrival.ids)).size
    if (delivered >= taken - discarded) return { complete: true, waitedMs: Date.now() - start }
    if (Date.now() - start > maxMs) return { complete: false, waitedMs: Date.now() - start }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('Pollen, posthog-js and mixpanel-browser side by side', () => {
  test('size: each entry as an app bundles it, min+gzip', async () => {
    for (const [library, entry] of Object.entries(ENTRIES) as [Library, string][]) {
      const { min, gzip } = await bundle(entry)
      sizes[library] = { entry, min, gzip }
    }
    const core = await bundle(MIXPANEL_CORE)
    mixpanelCore = { entry: MIXPANEL_CORE, min: core.min, gzip: core.gzip }
  })

  for (const variant of VARIANTS) {
    test(`${variant.label}: cost per call, then ${EVENTS.calls.toLocaleString('en-US')} events end to end`, async () => {
      // 1. Cost per call, in a page of its own.
      const first = await openPeer(variant)
      server.reset()
      const warm = await first.page.evaluate(pacedCalls, { budget: WARMUP, perTask: TIMED_PER_TASK, time: false })
      // The timed calls start once the warm-up's events are out, from an idle library, as in an app between bursts.
      const drain = await awaitDelivery(first, variant.library, warm.returned, DRAIN_MS)
      const calls = await first.page.evaluate(pacedCalls, { budget: TIMED, perTask: TIMED_PER_TASK, time: true })
      await first.page.context().close()
      server.reset()

      // 2. The burst, in a fresh page: events delivered, requests, bytes, long tasks.
      const second = await openPeer(variant)
      server.reset()
      const run = await second.page.evaluate(burst, { budget: EVENTS, perTask: PER_TASK })
      const delivery = await awaitDelivery(second, variant.library, run.returned, MAX_WAIT_MS)
      const observedUntil = Date.now()
      // Read before the page goes: what a library sends while unloading is not part of the run.
      const arrivals = server.arrivals(variant.library).filter((arrival) => arrival.at >= run.start)
      const pollenStored = server.pollenStored
      const longTasks = (await second.page.evaluate(takeLongTasks)).filter((task) => task.at >= run.start)
      const library = await second.page.evaluate(libraryCounts)
      await second.page.context().close()
      server.reset()

      const ids = arrivals.flatMap((arrival) => arrival.ids)
      const delivered = new Set(ids).size
      const lastArrival = Math.max(...arrivals.filter((arrival) => arrival.ids.length > 0).map((arrival) => arrival.at))
      const seconds = delivered > 0 ? (lastArrival - run.start) / 1000 : Number.NaN
      expect(server.undecoded.slice(0, 3), 'request bodies the server could not read').toEqual([])
      expect(delivered, 'events delivered, at most one per call').toBeLessThanOrEqual(run.calls)
      // Pollen's events also went through the tests' ingest, which validates them with Pollen's schemas.
      if (variant.library === 'pollen') expect(pollenStored, 'Pollen events the ingest accepted').toBe(delivered)

      results.push({
        key: variant.key,
        library: variant.library,
        label: variant.label,
        call: variant.call,
        settings: variant.settings,
        perCall: {
          medianUs: percentile(calls.us, 50),
          p99Us: percentile(calls.us, 99),
          timed: calls.calls,
          returned: calls.returned,
          warmed: warm.calls,
          stalledMs: calls.stalledMs ?? warm.stalledMs,
          drainedMs: drain.complete ? drain.waitedMs : undefined,
          clockStepUs: first.clockStepUs,
        },
        burst: {
          calls: run.calls,
          callsMs: run.called - run.start,
          callUs: (run.callMs / run.calls) * 1000,
          stalledMs: run.stalledMs,
          returned: run.returned,
          discarded: library.discarded,
          delivered,
          duplicates: ids.length - delivered,
          complete: delivery.complete,
          seconds,
          eventsPerSecond: delivered > 0 ? delivered / seconds : 0,
          requests: arrivals.length,
          bytes: arrivals.reduce((sum, arrival) => sum + arrival.bytes, 0),
          longTasks: longTasks.length,
          longTaskMs: longTasks.reduce((sum, task) => sum + task.ms, 0),
          longestTaskMs: Math.max(0, ...longTasks.map((task) => task.ms)),
          observedMs: observedUntil - run.start,
          report: library.report,
        },
      })
    }, 240_000)
  }
})
