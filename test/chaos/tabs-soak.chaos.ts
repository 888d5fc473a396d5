/**
 * `npm run chaos`: the two-tab burst of test/e2e/two-tabs.test.ts, many times
 * over (TABS_SOAK_RUNS, 20 by default), each in a new browser context. Two
 * tabs of one origin log at once and share one queue and send lock; no event
 * may arrive twice, and none may be missing.
 */
import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, flushClient, logInBursts, missing, openClientPage } from '../support/pollen-page.js'

const e2e = useE2e()
const runs = Number(process.env.TABS_SOAK_RUNS ?? 20)
/** Events each tab logs per run. */
const EVENTS = 200

test(`two tabs logging ${EVENTS} + ${EVENTS} events at once, ${runs} times: none twice on the wire, none lost`, async () => {
  const { server, browser } = e2e
  const twice: string[] = []
  const lost: string[] = []
  for (let run = 0; run < runs; run++) {
    server.ingest.reset()
    // Each answer takes a while, so that both tabs have sends due while one is in flight.
    server.ingest.faultFor = () => ({ stallMs: 60 })
    const context = await browser.newContext()
    const options = { project: `tabs-soak-${run}`, endpoint: '/api/pollen', flushInterval: 100, batchSize: 20 }
    const [a, b] = await Promise.all([openClientPage(context, server.url, options), openClientPage(context, server.url, options)])
    const [idsA, idsB] = await Promise.all([logInBursts(a, EVENTS, 'a'), logInBursts(b, EVENTS, 'b')])
    await Promise.all([flushClient(a), flushClient(b)])
    const ids = [...idsA, ...idsB]
    // Waits for the sends to end; what is still missing after that counts as lost.
    await until(async () => (await clientStats(a)).pending === 0 && (await clientStats(b)).pending === 0, `run ${run}: both tabs see everything delivered`).catch(() => undefined)
    lost.push(...missing(server.ingest.events, ids))
    twice.push(...[...server.ingest.deliveries].filter(([, n]) => n > 1).map(([id]) => id))
    console.log(`run ${run}: ${server.ingest.deliveries.size} of ${ids.length} events stored, ${twice.length} twice and ${lost.length} lost so far`)
    await context.close()
  }
  expect({ twice, lost }).toEqual({ twice: [], lost: [] })
})
