import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { eventIdsIn, isBeacon, logEvents, missing, openClientPage, storedItemCount } from '../support/pollen-page.js'

const e2e = useE2e()
const BUDGET = 64 * 1024

test('unload sends at most 64 KiB by beacon; the rest arrives on the next visit, once at the store', async () => {
  const { server, browser } = e2e
  const context = await browser.newContext()
  const options = { project: 'unload-budget', endpoint: '/api/pollen', flushInterval: 60_000, batchSize: 1000 }
  const first = await openClientPage(context, server.url, options)
  const ids = await logEvents(first, 100, { padding: 2000 }) // ~230 KiB of events
  await first.close({ runBeforeUnload: false })
  await until(() => server.ingest.requests.some(isBeacon), 'the unload beacon arrives')

  const second = await openClientPage(context, server.url, options)
  await until(() => missing(server.ingest.events, ids).length === 0, 'every event arrives after the next visit opens a client')
  await until(async () => (await storedItemCount(second)) === 0, 'the queue empties')

  // Beacons are what the first page sent while going; the second page sends by fetch.
  const beacons = server.ingest.requests.filter(isBeacon)
  const beaconBytes = beacons.reduce((total, request) => total + request.bytes, 0)
  expect(beaconBytes).toBeLessThanOrEqual(BUDGET)
  const beaconed = new Set(beacons.flatMap(eventIdsIn))
  expect(beaconed.size).toBeGreaterThan(0)
  expect(beaconed.size).toBeLessThan(ids.length)
  expect(server.ingest.events.size).toBe(ids.length)
  // What the beacon carried is sent again (it was never confirmed); the rest exactly once.
  for (const id of ids) expect(server.ingest.deliveries.get(id)).toBe(beaconed.has(id) ? 2 : 1)
  await context.close()
})
