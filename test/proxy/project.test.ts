// @vitest-environment node
/**
 * Updates stay inside the proxy's project: ids it forwarded are known, others
 * are looked up upstream (POST /events/export), and a real user's vote on an
 * event HoneyHive has not indexed yet is kept for a retry, never dropped.
 * Real HTTP: proxy → recording front → collector.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import type { ProxyOptions } from '../../src/proxy/index.js'
import seed from '../fixtures/seed-event.json'
import { startFlaky } from '../support/flaky.js'
import { hh, startProxy } from '../support/servers.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let front: Awaited<ReturnType<typeof startFlaky>>
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined
beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  front = await startFlaky(collector.url)
})
afterAll(async () => {
  await front.close()
  await collector.close()
})
afterEach(async () => {
  await proxy?.close()
  proxy = undefined
  front.requests.length = 0
  front.faults.length = 0
})

const start = async (options: Partial<ProxyOptions> = {}) => (proxy = await startProxy({ upstream: front.url, rateLimit: false, ...options }))
const event = (patch: Record<string, unknown> = {}) => ({ ...seed, event_id: crypto.randomUUID(), ...patch })
const post = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) })
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json() }
}
const stored = async (id: string) =>
  (await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: id }] })).json.events[0]
const exports = () => front.requests.filter((r) => r === 'POST /events/export').length

test('an update of an event the proxy forwarded goes through without a lookup', async () => {
  const { url } = await start()
  const target = event()
  await post(url, { events: [target] })
  const answer = await post(url, { updates: [{ event_id: target.event_id, feedback: { rating: true } }] })
  expect(answer.json).toEqual({ accepted: [target.event_id], kinds: ['update'], rejected: [], supports: ['seq', 'gzip'] })
  expect(exports()).toBe(0)
  expect((await stored(target.event_id)).feedback).toEqual({ rating: true })
})

test('an update in the same envelope as its event needs no lookup either, nor does one of a forwarded session', async () => {
  const { url } = await start()
  const target = event()
  const session = { project: 'x', session_name: 'chat', source: 'test', session_id: crypto.randomUUID() }
  const answer = await post(url, { sessions: [session], events: [target], updates: [{ event_id: target.event_id, feedback: { rating: false } }, { event_id: session.session_id, feedback: { rating: true } }] })
  expect(answer.json.rejected).toEqual([])
  expect(answer.json.accepted).toEqual([session.session_id, target.event_id, target.event_id, session.session_id])
  expect(exports()).toBe(0)
})

test("an event of another project: its update is never forwarded, and refused as unknown-event once the grace is over", async () => {
  const foreign = event({ project: 'Other Project' })
  await hh(collector.url, 'POST', '/events', { event: foreign })
  const vote = { event_id: foreign.event_id, feedback: { rating: false, comment: 'hijacked' } }

  const { url } = await start()
  const waiting = await post(url, { updates: [vote] })
  expect(waiting.status).toBe(503)
  expect(waiting.retryAfter).toBe('30')
  await proxy!.close()

  const { url: strict } = await start({ updateGraceMs: 0 })
  const refused = await post(strict, { updates: [vote] })
  expect(refused.json).toEqual({
    accepted: [],
    rejected: [{ id: foreign.event_id, kind: 'update', code: 'unknown-event', message: `event_id: no event or session ${foreign.event_id} in project Simple RAG` }],
    kinds: [],
    supports: ['seq', 'gzip'],
  })
  expect(front.requests.filter((r) => r === 'PUT /events')).toEqual([])
  const out = await hh(collector.url, 'POST', '/events/export', { project: 'Other Project', filters: [{ field: 'event_id', operator: 'is', value: foreign.event_id }] })
  expect(out.json.events[0].feedback).toEqual(seed.feedback)
})

test('an event not exported yet (logged by another instance, say): the vote waits, then lands once HoneyHive has the event', async () => {
  const { url } = await start()
  const later = event()
  const vote = { event_id: later.event_id, feedback: { rating: true } }
  const first = await post(url, { updates: [vote] })
  expect(first.status).toBe(503)
  expect(first.retryAfter).toBe('30')
  // Another proxy instance forwards the event meanwhile.
  await hh(collector.url, 'POST', '/events/batch', { events: [later] })
  // A miss is cached for a few seconds; the client's retry comes later than that.
  await new Promise((r) => setTimeout(r, 5100))
  const retry = await post(url, { updates: [vote] })
  expect(retry.json).toEqual({ accepted: [later.event_id], kinds: ['update'], rejected: [], supports: ['seq', 'gzip'] })
  expect((await stored(later.event_id)).feedback).toEqual({ rating: true })
}, 15_000)

test('a lookup that fails is never taken as "missing": the vote waits, even with no grace at all', async () => {
  const { url } = await start({ updateGraceMs: 0 })
  const target = event()
  await hh(collector.url, 'POST', '/events/batch', { events: [target] })
  front.faults.push({ status: 500 })
  const answer = await post(url, { updates: [{ event_id: target.event_id, feedback: { rating: true } }] })
  expect(answer.status).toBe(503)
  const retry = await post(url, { updates: [{ event_id: target.event_id, feedback: { rating: true } }] })
  expect(retry.json).toEqual({ accepted: [target.event_id], kinds: ['update'], rejected: [], supports: ['seq', 'gzip'] })
})

test('lookups are bounded per client: a flood of made-up ids costs the upstream at most 60 exports a minute', async () => {
  const { url } = await start()
  const started = Date.now()
  // The bucket holds 60 and refills one a second: a slow machine may earn one more while the test runs.
  const allowed = () => 60 + Math.floor((Date.now() - started) / 1000)
  const updates = Array.from({ length: 100 }, () => ({ event_id: crypto.randomUUID(), feedback: { rating: true } }))
  const answer = await post(url, { updates })
  expect(answer.status).toBe(503)
  expect(exports()).toBeGreaterThanOrEqual(60)
  expect(exports()).toBeLessThanOrEqual(allowed())
  await post(url, { updates: [{ event_id: crypto.randomUUID(), feedback: { rating: true } }] })
  expect(exports()).toBeLessThanOrEqual(allowed())
})

test("an event the proxy sent whose answer was lost counts as the project's: a vote for it (a closing tab's beacon, say) needs no lookup", async () => {
  const { url } = await start()
  const target = event()
  front.faults.push({ reset: true })
  expect((await post(url, { events: [target] })).status).toBe(503)
  // The event reached the upstream another way meanwhile (the chaos suite's stored-then-reset fault).
  await hh(collector.url, 'POST', '/events/batch', { events: [target] })
  const vote = await post(url, { updates: [{ event_id: target.event_id, feedback: { rating: false } }] })
  expect(vote.json).toEqual({ accepted: [target.event_id], kinds: ['update'], rejected: [], supports: ['seq', 'gzip'] })
  expect(exports()).toBe(0)
})
