import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, logEvents, missing, openClientPage } from '../support/pollen-page.js'

const e2e = useE2e()

test('after a 429 with Retry-After and 5xx answers, everything arrives, and the client waited as asked', async () => {
  const { server, browser } = e2e
  // The 429 first: a client ignoring Retry-After would wait its first backoff, under 1 s.
  server.ingest.faults.push({ status: 429, headers: { 'Retry-After': '1' } }, { status: 500 }, { status: 503 })
  const context = await browser.newContext()
  const page = await openClientPage(context, server.url, { project: 'server-failures', endpoint: '/api/pollen', flushInterval: 100 })
  const ids = await logEvents(page, 20)

  await until(() => missing(server.ingest.events, ids).length === 0, 'every event arrives once the server is healthy', 20_000)
  await until(async () => (await clientStats(page)).pending === 0, 'nothing is pending')
  const requests = server.ingest.requests
  // One batch: three refusals, then one success. No request between the retries.
  expect(requests).toHaveLength(4)
  expect(requests.every((request) => request.path === '/api/pollen')).toBe(true)
  expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1000)
  expect([...server.ingest.deliveries.values()].every((n) => n === 1)).toBe(true)
  expect(server.ingest.deliveries.size).toBe(20)
  const stats = await clientStats(page)
  expect(stats.retryAt).toBeUndefined()
  expect(stats.dropped).toBe(0)
  await context.close()
})
