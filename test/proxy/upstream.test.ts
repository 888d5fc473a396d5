// @vitest-environment node
/**
 * Upstream failures behind the proxy give the client a status that makes it
 * retry, and the items arrive once the upstream heals. Real HTTP all along:
 * client → proxy → flaky upstream → collector.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createClient } from '../../src/index.js'
import { startFlaky } from '../support/flaky.js'
import { hh, startProxy } from '../support/servers.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let flaky: Awaited<ReturnType<typeof startFlaky>>
let proxy: Awaited<ReturnType<typeof startProxy>>
beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  flaky = await startFlaky(collector.url)
  proxy = await startProxy({ upstream: flaky.url, timeoutMs: 500, rateLimit: false })
})
afterAll(async () => {
  await proxy.close()
  await flaky.close()
  await collector.close()
})
afterEach(() => {
  flaky.faults.length = 0
})

const post = (body: unknown) =>
  fetch(proxy.url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) })
const event = () => ({ project: 'Simple RAG', source: 'test', event_name: 'e', event_type: 'tool', config: {}, inputs: {}, duration: 1, event_id: crypto.randomUUID() })

test.each([
  ['a 500', { status: 500 }, 503, '5'],
  ['a 502 page in HTML', { status: 502, body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html' } }, 503, '5'],
  ['a 429 with Retry-After', { status: 429, headers: { 'Retry-After': '12' } }, 429, '12'],
  ['a stall past the timeout', { stallMs: 1500 }, 503, '5'],
  ['a reset connection', { reset: true }, 503, '5'],
  ['a wrong proxy key (401)', { status: 401 }, 503, '5'],
])('%s upstream makes the client retry (status and Retry-After), and nothing is lost', async (_name, fault, status, retryAfter) => {
  flaky.faults.push(fault)
  const sent = event()
  const answer = await post({ events: [sent] })
  expect(answer.status).toBe(status)
  expect(answer.headers.get('retry-after')).toBe(retryAfter)
  expect(await answer.text()).not.toContain('test-key')
  // Healed: the same envelope goes through.
  const again = await post({ events: [sent] })
  expect(await again.json()).toEqual({ accepted: [sent.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
})

test("HoneyHive's 500 partial success is mapped per item: the rest is left for a retry", async () => {
  const [a, b] = [event(), event()]
  flaky.faults.push({ status: 500, body: JSON.stringify({ event_ids: [a.event_id], errors: ['boom'], success: false }) })
  const answer = await post({ events: [a, b] })
  expect(answer.status).toBe(200)
  expect(answer.headers.get('retry-after')).toBe('5')
  expect(await answer.json()).toEqual({ accepted: [a.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
})

test('updates wait when the event they target did not get through', async () => {
  const a = event()
  flaky.faults.push({ status: 503 })
  const answer = await post({ events: [a], updates: [{ event_id: a.event_id, feedback: { rating: true } }] })
  expect(answer.status).toBe(503)
  expect(flaky.seen()).toBeGreaterThan(0)
})

test('an event that gets through while its update does not: the answer names the kind, and the rating still arrives', async () => {
  const a = event()
  // The event's POST goes through; the update's PUT meets a 503.
  flaky.faults.push({}, { status: 503 })
  const answer = await post({ events: [a], updates: [{ event_id: a.event_id, feedback: { rating: true } }] })
  expect(answer.status).toBe(200)
  // The event's id is accepted as an event only: the update, same id, is left for a retry.
  expect(await answer.json()).toEqual({ accepted: [a.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })

  // The same through the client: the update is retried, not taken as delivered with its event.
  const client = createClient({ project: 'Simple RAG', endpoint: proxy.url, storage: 'memory', flushInterval: 20 })
  flaky.faults.push({}, {}, { status: 503 }) // session, event, then the update's PUT
  const id = client.log({ event_name: 'rated once', event_type: 'tool' })
  client.feedback(id, { rating: false })
  for (let i = 0; i < 200 && client.stats().pending > 0; i++) await new Promise((r) => setTimeout(r, 50))
  await client.close()
  expect(client.stats()).toMatchObject({ pending: 0, dropped: 0 })
  const out = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_name', operator: 'is', value: 'rated once' }] })
  expect(out.json.events.map((e: { feedback: unknown }) => e.feedback)).toEqual([{ rating: false }])
}, 20_000)

test('the client rides out an upstream outage and every event arrives once', async () => {
  const before = (await hh(collector.url, 'GET', '/stats')).json
  flaky.faults.push({ status: 500 }, { status: 429, headers: { 'Retry-After': '1' } }, { reset: true }, { stallMs: 1200 })
  const client = createClient({ project: 'Simple RAG', endpoint: proxy.url, storage: 'memory', flushInterval: 20 })
  const ids = Array.from({ length: 30 }, (_, i) => client.log({ event_name: `outage ${i}`, event_type: 'tool' }))
  for (let i = 0; i < 200 && client.stats().pending > 0; i++) await new Promise((r) => setTimeout(r, 50))
  await client.close()
  expect(client.stats()).toMatchObject({ pending: 0, dropped: 0 })
  const after = (await hh(collector.url, 'GET', '/stats')).json
  expect(after.stored - before.stored).toBe(31) // 30 events + the session
  const out = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_name', operator: 'contains', value: 'outage' }] })
  expect(out.json.events.map((e: { event_id: string }) => e.event_id).sort()).toEqual([...ids].sort())
}, 20_000)

test('log lines about upstream failures never contain the API key', async () => {
  const lines: string[] = []
  const logging = await startProxy({ upstream: flaky.url, timeoutMs: 300, rateLimit: false, log: (line) => lines.push(line) })
  flaky.faults.push({ status: 500 }, { reset: true }, { stallMs: 600 }, { status: 401 })
  for (let i = 0; i < 4; i++) {
    await fetch(logging.url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ events: [event()] }) })
  }
  await logging.close()
  expect(lines.length).toBeGreaterThan(0)
  expect(lines.join('\n')).not.toContain('test-key')
})
