/**
 * `npm run bench`: what leaves a page closed 5 ms after it logged 300 chat
 * turns in one task (issue 13's closing-page figure), in real Chromium, with
 * the server up. The page is opened by `window.open` so that it can close
 * itself with `window.close()` exactly 5 ms after its task, with no round trip
 * to the test in between. Counts the events that arrive from that close (the
 * beacons of its `pagehide`), then opens the next visit and requires every
 * event to arrive: a figure of the close, never a loss. Two kinds of close:
 * the first page of the origin, which knows nothing of the proxy yet and sends
 * plain JSON, and a page after one that heard the proxy say it reads gzip,
 * which gzips its beacons. Prints a table for each.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser } from 'playwright'
import { generateCorpus } from '../corpus/generate.js'
import { launchChromium, openTestPage, startPageServer, TEST_PAGE, until } from '../support/page-server.js'
import { createPageClient, isBeacon, missing } from '../support/pollen-page.js'

/** Closes of each kind (`CLOSE_RUNS` sets it). */
const RUNS = Number(process.env.CLOSE_RUNS ?? 5)
const EVENTS = 300
const CLOSE_AFTER_MS = 5
const BUDGET = 64 * 1024

let server: Awaited<ReturnType<typeof startPageServer>>
let browser: Browser

beforeAll(async () => {
  server = await startPageServer()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!

/**
 * One close: a fresh context, a page opened by `window.open` that logs
 * `events` in one task and closes itself CLOSE_AFTER_MS later. `returning`:
 * a page of the same origin talked to the proxy before (its answer said it
 * reads gzip), so the closing page knows it from the start; otherwise the
 * closing page is the first of the origin and sends plain JSON.
 */
async function closeOnce(run: number, events: Record<string, unknown>[], returning: boolean) {
  const ids = events.map((event) => event.event_id as string)
  const options = { project: `close-${returning ? 'r' : 'f'}-${run}`, endpoint: '/api/pollen' }
  const context = await browser.newContext()
  const opener = await context.newPage()
  await openTestPage(opener, server.url)
  if (returning) {
    // An earlier page of the visit: its first answer says what the proxy reads, and the client remembers it.
    await createPageClient(opener, options)
    await opener.evaluate(async () => {
      const hh = (window as any).hh
      hh.log({ event_name: 'earlier page', event_type: 'tool' })
      await hh.flush()
      await hh.close()
    })
  }
  const [page] = await Promise.all([context.waitForEvent('page'), opener.evaluate((url) => void window.open(url), server.url + TEST_PAGE)])
  await page.waitForFunction(() => (window as any).pollenReady === true)
  await createPageClient(page, options)
  const requestsBefore = server.ingest.requests.length
  const closed = page.waitForEvent('close')
  await page.evaluate(
    ({ events, after }) => {
      const hh = (window as any).hh
      for (const event of events) hh.log(event)
      setTimeout(() => window.close(), after)
    },
    { events, after: CLOSE_AFTER_MS },
  )
  await closed
  // Beacons are handed over in pagehide; give them time to reach the server.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const fromClose = server.ingest.requests.slice(requestsBefore)
  const left = ids.length - missing(server.ingest.events, ids).length
  const beacons = fromClose.filter(isBeacon)
  const result = { left, beacons: beacons.length, gzip: beacons.filter((request) => request.gzip).length, bytes: beacons.reduce((total, request) => total + request.bytes, 0) }

  // The next visit delivers the rest: nothing is lost.
  const next = await context.newPage()
  await openTestPage(next, server.url)
  await createPageClient(next, options)
  await until(() => missing(server.ingest.events, ids).length === 0, `run ${run}: every event arrives on the next visit`, 30_000)
  await context.close()
  return result
}

test(`a page closed ${CLOSE_AFTER_MS} ms after logging ${EVENTS} corpus events: what leaves in the close, none lost`, async () => {
  // As the proxy answers: it reads update sequences and gzip bodies.
  server.ingest.supports = ['seq', 'gzip']
  // Each close its own events: the ingest keeps what arrived before.
  const corpus = generateCorpus(20261201, EVENTS * RUNS * 2)
  const lines: string[] = []
  for (const returning of [false, true]) {
    const runs: Awaited<ReturnType<typeof closeOnce>>[] = []
    for (let run = 0, first = returning ? RUNS * EVENTS : 0; run < RUNS; run++) runs.push(await closeOnce(run, corpus.slice(first + run * EVENTS, first + (run + 1) * EVENTS), returning))
    for (const { bytes } of runs) expect(bytes).toBeLessThanOrEqual(BUDGET)
    // A page that knows the proxy reads gzip sends its beacons gzipped.
    for (const run of runs) expect(run.gzip, 'gzipped beacons').toBe(returning ? run.beacons : 0)
    lines.push(
      `\n${returning ? 'Returning visitor (the proxy said it reads gzip on an earlier page): gzipped beacons' : 'First page of the origin (nothing known of the proxy yet): plain JSON beacons'}. ${RUNS} runs; median ${median(runs.map((r) => r.left))} of ${EVENTS} left in the close, the rest on the next visit, none lost.`,
      '| run | events that left in the close | beacons | beacon bytes |',
      '|---|---|---|---|',
      ...runs.map((r, i) => `| ${i + 1} | ${r.left} of ${EVENTS} | ${r.beacons} | ${r.bytes.toLocaleString('en')} B |`),
    )
  }
  console.log(`\nClosed ${CLOSE_AFTER_MS} ms after ${EVENTS} corpus events logged in one task, server up.` + lines.join('\n'))
}, 600_000)

test(`what the closing page pays: its pagehide with 5 and ${EVENTS} corpus events pending, plain and gzipped`, async () => {
  const corpus = generateCorpus(7, EVENTS)
  const lines: string[] = []
  for (const pending of [5, EVENTS]) {
    const times: Record<'plain' | 'gzip', number[]> = { plain: [], gzip: [] }
    for (let run = 0; run < RUNS; run++) {
      for (const kind of ['plain', 'gzip'] as const) {
        const context = await browser.newContext()
        const page = await context.newPage()
        await openTestPage(page, server.url)
        // What an earlier page would have remembered of the proxy's answer (see src/client/proxy-reads.ts).
        if (kind === 'gzip') await page.evaluate(() => localStorage.setItem('pollen-reads:pollen:proxy|/api/pollen|pagehide', 'seq gzip'))
        const ms = await page.evaluate(async (events) => {
          const hh = (window as any).pollen.createClient({ project: 'pagehide', endpoint: '/api/pollen', flushInterval: 60_000, batchSize: 1000 })
          await hh.flush()
          for (const event of events) hh.log(event)
          // Stored by now; the page's own pagehide listener runs the unload path, timed here.
          await new Promise((resolve) => setTimeout(resolve, 500))
          const start = performance.now()
          window.dispatchEvent(new Event('pagehide'))
          return performance.now() - start
        }, corpus.slice(0, pending))
        times[kind].push(ms)
        await context.close()
      }
    }
    const range = (values: number[]) => `median ${median(values).toFixed(1)} ms (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`
    lines.push(`${pending} pending: plain ${range(times.plain)}, gzip ${range(times.gzip)}`)
  }
  console.log(`\npagehide of a fresh page (the compressor's first call), corpus events pending, ${RUNS} runs each, alternated:\n${lines.join('\n')}`)
}, 300_000)
