import { afterEach, expect, test, vi } from 'vitest'
import { createClient } from '../../src/index.js'
import { createFakeFetch, healthy } from '../support/fake-fetch.js'

afterEach(() => vi.unstubAllGlobals())

test('two tabs share the IndexedDB queue and never send the same item (lease lock)', async () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  // Each answer takes a while, so that the two tabs' flushes overlap.
  const slow = (request: Parameters<typeof healthy>[0]) => new Promise<Response>((r) => setTimeout(() => r(healthy(request)), 15))
  for (let i = 0; i < 100; i++) fake.next(slow)
  const project = `tabs-${Math.random()}`
  const a = createClient({ project, endpoint: '/api/pollen', batchSize: 10, flushInterval: 5 })
  const b = createClient({ project, endpoint: '/api/pollen', batchSize: 10, flushInterval: 5 })
  const ids = new Set<string>()
  for (let i = 0; i < 60; i++) {
    ids.add(a.log({ event_name: `a${i}`, event_type: 'tool' }))
    ids.add(b.log({ event_name: `b${i}`, event_type: 'tool' }))
    if (i % 10 === 0) await new Promise((r) => setTimeout(r, 3))
  }
  await Promise.all([a.flush(), b.flush()])
  for (let i = 0; i < 100 && (a.stats().pending > 0 || b.stats().pending > 0); i++) await new Promise((r) => setTimeout(r, 20))
  await Promise.all([a.close(), b.close()])
  const sent = fake.events().map((e) => e.event_id)
  expect(new Set(sent)).toEqual(ids)
  expect(sent).toHaveLength(ids.size) // nothing twice on the wire
  expect(a.stats().sent + b.stats().sent).toBe(120 + 1) // + the one shared session start (same sessionStorage)
})
