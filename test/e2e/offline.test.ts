import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, logEvents, missing, openClientPage } from '../support/pollen-page.js'

const e2e = useE2e()

test('offline: nothing is tried while offline; everything goes once the browser is back online', async () => {
  const { server, browser } = e2e
  const context = await browser.newContext()
  const flushInterval = 100
  const page = await openClientPage(context, server.url, { project: 'offline', endpoint: '/api/pollen', flushInterval })
  const tried: string[] = []
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/pollen') tried.push(request.url())
  })

  await context.setOffline(true)
  const ids = await logEvents(page, 20)
  // Several flush intervals pass offline; there is nothing to poll for, only absence to see.
  await new Promise((resolve) => setTimeout(resolve, 6 * flushInterval))
  expect(tried).toEqual([])
  expect(server.ingest.requests).toHaveLength(0)
  const offline = await clientStats(page)
  expect(offline.pending).toBe(20 + 1)
  expect(offline.retrying).toBe(0) // it waited for the network rather than failing

  await context.setOffline(false) // fires `online`; no log() or flush() after it
  await until(() => missing(server.ingest.events, ids).length === 0, 'every event arrives once online')
  await until(async () => (await clientStats(page)).pending === 0, 'nothing is pending')
  expect([...server.ingest.deliveries.values()].every((n) => n === 1)).toBe(true)
  await context.close()
})
