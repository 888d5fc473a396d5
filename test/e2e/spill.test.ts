/**
 * A page that logs and closes before its IndexedDB has even opened, while the
 * server refuses: the beacon cannot save the events, IndexedDB cannot take
 * them yet, so the page spills them to localStorage, and the next page of the
 * origin delivers every one, once at the store.
 */
import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { openTestPage, until } from '../support/page-server.js'

const e2e = useE2e()

test('events logged before the queue opened survive a close, by localStorage', async () => {
  const { server, browser } = e2e
  const context = await browser.newContext()
  server.ingest.faultFor = () => ({ status: 503 })
  const first = await context.newPage()
  await openTestPage(first, server.url)
  const ids: string[] = await first.evaluate(() => {
    const { createClient } = (window as any).pollen
    const hh = createClient({ project: 'spill', endpoint: '/api/pollen', flushInterval: 60_000 })
    // Same task as createClient: the database cannot have opened yet.
    return Array.from({ length: 120 }, (_, i) => hh.log({ event_name: `early ${i}`, event_type: 'tool', inputs: { pad: 'p'.repeat(1500) } }))
  })
  await first.close({ runBeforeUnload: false })
  server.ingest.faultFor = undefined

  const second = await context.newPage()
  await openTestPage(second, server.url)
  await second.evaluate(() => {
    const { createClient } = (window as any).pollen
    ;(window as any).hh = createClient({ project: 'spill', endpoint: '/api/pollen', flushInterval: 100 })
  })
  await until(() => ids.every((id) => server.ingest.events.has(id)), 'every early event arrives from the next page', 20_000).catch(async (error) => {
    const state = await second.evaluate(() => ({ stats: (window as any).hh.stats(), spills: Object.keys(localStorage) }))
    throw new Error(`${error.message}: ${server.ingest.events.size} of 120 arrived; ${JSON.stringify(state)}; requests ${server.ingest.requests.map((r) => r.fetchMode + ':' + r.bytes).join(' ')}`)
  })
  expect(server.ingest.events.size).toBe(120)
  await context.close()
})
