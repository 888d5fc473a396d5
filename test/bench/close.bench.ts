/**
 * `npm run bench`: what leaves a page closed 5 ms after it logged 300 chat
 * turns in one task (issue 13's closing-page figure), in real Chromium, with
 * the server up. The page is opened by `window.open` so that it can close
 * itself with `window.close()` exactly 5 ms after its task, with no round trip
 * to the test in between. Counts the events that arrive from that close (the
 * beacons of its `pagehide`), then opens the next visit and requires every
 * event to arrive: a figure of the close, never a loss. Prints a table.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser } from 'playwright'
import { generateCorpus } from '../corpus/generate.js'
import { launchChromium, openTestPage, startPageServer, TEST_PAGE, until } from '../support/page-server.js'
import { createPageClient, isBeacon, missing } from '../support/pollen-page.js'

const RUNS = 5
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

test(`a page closed ${CLOSE_AFTER_MS} ms after logging ${EVENTS} corpus events: what leaves in the close, none lost`, async () => {
  const corpus = generateCorpus(20261201, EVENTS * RUNS)
  const runs: { left: number; beacons: number; bytes: number }[] = []
  for (let run = 0; run < RUNS; run++) {
    const events = corpus.slice(run * EVENTS, (run + 1) * EVENTS)
    const ids = events.map((event) => event.event_id as string)
    const options = { project: `close-${run}`, endpoint: '/api/pollen' }
    const context = await browser.newContext()
    const opener = await context.newPage()
    await openTestPage(opener, server.url)
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
    runs.push({ left, beacons: beacons.length, bytes: beacons.reduce((total, request) => total + request.bytes, 0) })

    // The next visit delivers the rest: nothing is lost.
    const next = await context.newPage()
    await openTestPage(next, server.url)
    await createPageClient(next, options)
    await until(() => missing(server.ingest.events, ids).length === 0, `run ${run}: every event arrives on the next visit`, 30_000)
    await context.close()
  }
  for (const { bytes } of runs) expect(bytes).toBeLessThanOrEqual(BUDGET)
  const rows = runs.map((r, i) => `| ${i + 1} | ${r.left} of ${EVENTS} | ${r.beacons} | ${r.bytes.toLocaleString('en')} B |`)
  console.log(
    [
      `\nClosed ${CLOSE_AFTER_MS} ms after ${EVENTS} corpus events in one task (server up), ${RUNS} runs; median ${median(runs.map((r) => r.left))} of ${EVENTS} left in the close, the rest on the next visit, none lost.`,
      '| run | events that left in the close | beacons | beacon bytes |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n'),
  )
}, 300_000)
