import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { eventIdsIn, isBeacon, logEvents, missing, openClientPage } from '../support/pollen-page.js'

const API_KEY = 'hh-test-key'
const e2e = useE2e({ apiKey: API_KEY })

test('direct mode: events logged right before close arrive by keepalive fetch with the API key', async () => {
  const { server, browser } = e2e
  const context = await browser.newContext()
  // endpoint = HoneyHive's base URL; here the ingest answers HoneyHive's routes.
  const page = await openClientPage(context, server.url, { project: 'direct-close', apiKey: API_KEY, endpoint: server.url, flushInterval: 60_000, batchSize: 1000 })
  const ids = await logEvents(page, 25)
  expect(server.ingest.requests).toHaveLength(0)
  await page.close({ runBeforeUnload: false })

  await until(() => missing(server.ingest.events, ids).length === 0, 'every event logged before close arrives')
  await until(() => server.ingest.sessions.size === 1, 'the session start arrives')
  const requests = server.ingest.requests
  expect(requests.some(isBeacon)).toBe(false) // a beacon cannot carry Authorization
  expect(requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`)).toBe(true)
  expect(requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual(['POST /events/batch', 'POST /session/start'])
  expect(new Set(requests.flatMap(eventIdsIn))).toEqual(new Set(ids))
  await context.close()
})
