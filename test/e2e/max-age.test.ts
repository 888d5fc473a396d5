/**
 * maxAgeMs in real Chromium: items queued longer than it leave IndexedDB
 * unsent, each counted as expired, instead of reaching the server late; fresh
 * ones still go.
 */
import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, flushClient, logEvents, missing, openClientPage, storedItemCount } from '../support/pollen-page.js'

const e2e = useE2e()

test('items older than maxAgeMs are dropped unsent and counted; newer ones are delivered', async () => {
  const { server, browser } = e2e
  // The server is down: nothing leaves while the first events age.
  server.ingest.faultFor = () => ({ status: 503 })
  const context = await browser.newContext()
  const page = await openClientPage(context, server.url, { project: 'max-age', endpoint: '/api/pollen', flushInterval: 100, maxAgeMs: 1500 })
  const old = await logEvents(page, 3, { name: 'old' })
  await page.waitForTimeout(2000)
  server.ingest.faultFor = () => undefined
  const fresh = await logEvents(page, 2, { name: 'fresh' })
  // The retry wait after the 503s ends when the page comes back online or the backoff passes; flush until settled.
  await until(async () => {
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await flushClient(page)
    return missing(server.ingest.events, fresh).length === 0
  }, 'the fresh events arrive', 20_000)
  expect(missing(server.ingest.events, old)).toHaveLength(3)
  const stats = await clientStats(page)
  // The three old events and the session start queued with the first of them.
  expect(stats.drops).toMatchObject({ expired: 4 })
  expect(stats.pending).toBe(0)
  expect(await storedItemCount(page)).toBe(0)
  await context.close()
})
