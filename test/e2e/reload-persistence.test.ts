import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, createPageClient, flushClient, isBeacon, logEvents, missing, openClientPage, storedItemCount } from '../support/pollen-page.js'

const e2e = useE2e()
const unavailable = () => ({ status: 503 })

test('events queued while the server fails survive a reload and arrive exactly once', async () => {
  const { server, browser } = e2e
  server.ingest.faultFor = unavailable
  const context = await browser.newContext()
  const options = { project: 'reload-after-flush', endpoint: '/api/pollen', flushInterval: 100 }
  const page = await openClientPage(context, server.url, options)
  const ids = await logEvents(page, 30)
  await flushClient(page) // one send, refused with 503: everything stays queued
  expect(server.ingest.requests.length).toBeGreaterThan(0)
  expect(server.ingest.events.size).toBe(0)
  expect((await clientStats(page)).pending).toBe(30 + 1) // + the session start

  await page.reload() // the unload beacon is refused too
  server.ingest.faultFor = undefined
  await createPageClient(page, options)

  await until(() => missing(server.ingest.events, ids).length === 0, 'every event arrives after the reload')
  await until(async () => (await storedItemCount(page)) === 0, 'the queue empties once the server confirmed')
  expect(server.ingest.deliveries.size).toBe(30)
  expect([...server.ingest.deliveries.entries()].filter(([, n]) => n !== 1)).toEqual([])
  await context.close()
})

test('events logged in the same task as a reload are kept in IndexedDB, reload after reload', async () => {
  const { server, browser } = e2e
  // Beacons are refused: what a page logged right before its reload can only come from IndexedDB.
  server.ingest.faultFor = (request) => (isBeacon(request) ? { status: 503 } : undefined)
  const context = await browser.newContext()
  const options = { project: 'reload-same-task', endpoint: '/api/pollen', flushInterval: 60_000, batchSize: 1000 }
  const page = await openClientPage(context, server.url, options)
  const ids: string[] = []
  // One reload can be lucky; several in a row are not, if the write dies with the page.
  for (let round = 0; round < 5; round++) {
    const reloaded = page.waitForEvent('load')
    ids.push(
      ...(await page.evaluate((round) => {
        const hh = (window as any).hh
        const ids: string[] = []
        for (let i = 0; i < 50; i++) ids.push(hh.log({ event_name: `round ${round} #${i}`, event_type: 'tool', outputs: { content: 'x'.repeat(500) } }))
        location.reload()
        return ids
      }, round)),
    )
    await reloaded
    await page.waitForFunction(() => (window as any).pollenReady === true)
    await createPageClient(page, options) // sends what earlier pages left
  }

  await until(() => missing(server.ingest.events, ids).length === 0, `every event logged before a reload arrives (${missing(server.ingest.events, ids).length} missing)`)
  await until(async () => (await storedItemCount(page)) === 0, 'the queue empties')
  // Once at the store. On the wire an event may come twice: a send still in
  // flight when its page reloads is never confirmed, so the next page sends it again.
  expect(server.ingest.deliveries.size).toBe(ids.length)
  expect(server.ingest.events.size).toBe(ids.length)
  await context.close()
})
