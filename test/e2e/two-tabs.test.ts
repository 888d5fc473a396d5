import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, eventIdsIn, flushClient, logInBursts, missing, openClientPage } from '../support/pollen-page.js'

const e2e = useE2e()

test('two tabs logging at once deliver everything, and no event twice on the wire', async () => {
  const { server, browser } = e2e
  // Each answer takes a while, so that both tabs have sends due while one is in flight.
  server.ingest.faultFor = () => ({ stallMs: 60 })
  const context = await browser.newContext()
  const options = { project: 'two-tabs', endpoint: '/api/pollen', flushInterval: 100, batchSize: 20 }
  const [a, b] = await Promise.all([openClientPage(context, server.url, options), openClientPage(context, server.url, options)])

  const [idsA, idsB] = await Promise.all([logInBursts(a, 100, 'a'), logInBursts(b, 100, 'b')])
  await Promise.all([flushClient(a), flushClient(b)])
  const ids = [...idsA, ...idsB]
  expect(new Set(ids).size).toBe(200)

  await until(() => missing(server.ingest.events, ids).length === 0, 'every event of both tabs arrives')
  // Each tab's pending count drops to 0 even for items the other tab delivered.
  await until(async () => (await clientStats(a)).pending === 0 && (await clientStats(b)).pending === 0, 'both tabs see everything delivered')
  const onTheWire = server.ingest.requests.flatMap(eventIdsIn)
  expect(onTheWire).toHaveLength(200)
  expect([...server.ingest.deliveries.entries()].filter(([, n]) => n !== 1)).toEqual([])
  expect(server.ingest.sessions.size).toBe(2) // one per tab
  await context.close()
})
