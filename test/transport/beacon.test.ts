import { afterEach, expect, test, vi } from 'vitest'
import { sendOnUnload, UNLOAD_BUDGET_BYTES, type WireItem } from '../../src/transport/index.js'
import { createFakeFetch } from '../support/fake-fetch.js'

const direct = { mode: 'direct', endpoint: 'https://hh.test/', apiKey: 'secret' } as const
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const wire = (key: string, kind: WireItem['kind'], body: object): WireItem => {
  const json = JSON.stringify(body)
  return { key, kind, id: (body as { event_id: string }).event_id, json, bytes: json.length }
}

afterEach(() => vi.unstubAllGlobals())

test('direct mode: updates stay for the next visit when an event did not fit the budget', () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  const big = wire('k1', 'event', { event_id: id(1), event_name: 'big', outputs: { text: 'x'.repeat(UNLOAD_BUDGET_BYTES) } })
  const rated = wire('k2', 'update', { event_id: id(2), feedback: { rating: 1 } })
  const { sent } = sendOnUnload(direct, [big, rated])
  expect(sent).toEqual([])
  expect(fake.fetch).not.toHaveBeenCalled()
})

test('direct mode: updates go once every creation went', () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  const small = wire('k1', 'event', { event_id: id(1), event_name: 'small' })
  const rated = wire('k2', 'update', { event_id: id(1), feedback: { rating: 1 } })
  const { sent } = sendOnUnload(direct, [small, rated])
  expect(sent.map((item) => item.key)).toEqual(['k1', 'k2'])
  expect(vi.mocked(fake.fetch).mock.calls.map(([, init]) => init?.method)).toEqual(['POST', 'PUT'])
})

test('proxy that reads gzip: beacons carry gzipped envelopes within the budget, far more items than plain JSON, oldest first', async () => {
  const { gunzipSync } = await import('node:zlib')
  const chat = (n: number) => wire(`k${String(n).padStart(4, '0')}`, 'event', { event_id: id(n), event_name: 'turn', outputs: { content: `Answer ${n}: ${'the same words again '.repeat(40)}` } })
  const items = Array.from({ length: 400 }, (_, n) => chat(n))
  const bodies: Uint8Array[] = []
  const beacon = (request: { body: unknown; bytes: number }) => (bodies.push(request.body as Uint8Array), true)
  const plain = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen' }, items, 0, beacon)
  expect(bodies.splice(0).every((body) => typeof body === 'string')).toBe(true)

  const zipped = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, items, 0, beacon)
  expect(zipped.bytes).toBeLessThanOrEqual(UNLOAD_BUDGET_BYTES)
  expect(zipped.bytes).toBe(bodies.reduce((total, body) => total + body.length, 0))
  expect(zipped.sent.length).toBeGreaterThan(3 * plain.sent.length)
  // The bodies are the envelopes of the items sent, in order.
  const carried = bodies.flatMap((body) => JSON.parse(gunzipSync(body).toString()).events.map((event: { event_id: string }) => event.event_id))
  expect(carried).toEqual(zipped.sent.map((item) => item.id))
  expect(zipped.sent).toEqual(items.slice(0, zipped.sent.length))

  // Not for fetchLater's registrations (zip false), nor for a proxy that did not say it reads gzip.
  bodies.length = 0
  sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, items, 0, beacon, false)
  expect(bodies.every((body) => typeof body === 'string')).toBe(true)
})

test('proxy that reads gzip: an item too large even gzipped stays for the next visit, and so do those after it', () => {
  // Random text barely compresses.
  let x = 7
  const noise = Array.from({ length: 90_000 }, () => String.fromCharCode(33 + ((x = (x * 48271) % 2147483647) % 90))).join('')
  const huge = wire('k1', 'event', { event_id: id(1), event_name: 'huge', outputs: { content: noise } })
  const small = wire('k2', 'event', { event_id: id(2), event_name: 'small' })
  const { sent, bytes } = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, [huge, small], 0, () => true)
  expect(sent).toEqual([])
  expect(bytes).toBe(0)
})

test('a backlog of thousands: only the oldest items that could fit are looked at', () => {
  const items = Array.from({ length: 20_000 }, (_, n) => wire(`k${String(n).padStart(5, '0')}`, 'event', { event_id: id(n), event_name: 'turn', outputs: { content: 'x'.repeat(1000) } }))
  // Items past what even gzip could fit in the budget throw when read.
  for (const item of items.slice(1000)) Object.defineProperty(item, 'bytes', { get: () => expect.fail('an item past the budget was read') })
  for (const gzip of [false, true]) {
    const { sent } = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip }, items, 0, () => true)
    expect(sent.length).toBeGreaterThan(gzip ? 100 : 50)
    expect(sent).toEqual(items.slice(0, sent.length))
  }
})

test('proxy that reads gzip: items that all fit as plain JSON go plain (compressing would only cost the closing page time)', () => {
  const bodies: unknown[] = []
  const items = Array.from({ length: 5 }, (_, n) => wire(`k${n}`, 'event', { event_id: id(n), event_name: 'turn', outputs: { content: 'x'.repeat(2000) } }))
  const { sent } = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, items, 0, (request) => (bodies.push(request.body), true))
  expect(sent).toEqual(items)
  expect(bodies).toHaveLength(1)
  expect(typeof bodies[0]).toBe('string')
})

test('proxy that reads gzip: one item too large for the budget as JSON goes gzipped when it compresses into it', () => {
  const bodies: unknown[] = []
  const big = wire('k1', 'event', { event_id: id(1), event_name: 'long history', inputs: { chat_history: 'the same turn again, '.repeat(5000) } })
  expect(big.bytes).toBeGreaterThan(UNLOAD_BUDGET_BYTES)
  const { sent } = sendOnUnload({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, [big], 0, (request) => (bodies.push(request.body), true))
  expect(sent).toEqual([big])
  expect(bodies[0]).toBeInstanceOf(Uint8Array)
})
