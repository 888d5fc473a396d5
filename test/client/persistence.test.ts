import { afterEach, expect, test, vi } from 'vitest'
import { createClient } from '../../src/index.js'
import { createFakeFetch } from '../support/fake-fetch.js'

afterEach(() => vi.unstubAllGlobals())

test('items left by an earlier visit are sent at start, without waiting for a new event', async () => {
  const project = `leftovers-${Math.random()}`
  const down = createFakeFetch()
  for (let i = 0; i < 10; i++) down.next('network-error')
  vi.stubGlobal('fetch', down.fetch)
  const before = createClient({ project, endpoint: '/api/pollen', flushInterval: 10 })
  const ids = [before.log({ event_name: 'a', event_type: 'tool' }), before.log({ event_name: 'b', event_type: 'tool' })]
  await before.close() // the server was down: both stay in IndexedDB
  expect(before.stats().pending).toBe(2 + 1)

  const up = createFakeFetch()
  vi.stubGlobal('fetch', up.fetch)
  const after = createClient({ project, endpoint: '/api/pollen', flushInterval: 10 })
  // The shared retry state of the failed visit (a jittered wait of up to 2 s) still applies.
  for (let i = 0; i < 500 && after.stats().sent < 3; i++) await new Promise((r) => setTimeout(r, 10))
  expect(up.events().map((e) => e.event_id)).toEqual(ids)
  expect(after.stats().sent).toBe(3)
  await after.close()
})
