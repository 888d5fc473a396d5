// @vitest-environment node
/**
 * Two proxy instances sharing one Redis, in front of one collector (through a
 * fault-injecting relay that records what reached the upstream): each
 * creation is forwarded once whichever instance gets it, the rate limit
 * counts both, and a Redis that goes away makes them fail open, then dedupe
 * again once it is back. Real redis-server, real HTTP.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createRedisState } from '../../src/proxy/redis/index.js'
import type { ProxyOptions } from '../../src/proxy/index.js'
import { startFlaky } from '../support/flaky.js'
import { connectRedis, startRedis } from '../support/redis.js'
import { hh, startProxy } from '../support/servers.js'

let redis: Awaited<ReturnType<typeof startRedis>>
let collector: Awaited<ReturnType<typeof startCollector>>
let flaky: Awaited<ReturnType<typeof startFlaky>>
const cleanup: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  redis = await startRedis()
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  flaky = await startFlaky(collector.url)
}, 20_000)
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close()
  flaky.faults.length = 0
})
afterAll(async () => {
  await flaky?.close()
  await collector?.close()
  await redis?.stop()
})

/** Two instances, each with its own Redis connection (as two processes would have), and their log lines. */
async function twoInstances(options: Partial<ProxyOptions> = {}) {
  const prefix = `pollen-test-${crypto.randomUUID()}:`
  const logs: string[] = []
  const instances = []
  for (let i = 0; i < 2; i++) {
    const client = await connectRedis(redis.url)
    const proxy = await startProxy({ upstream: flaky.url, timeoutMs: 3000, rateLimit: false, state: createRedisState(client, { prefix }), log: (line) => logs.push(line), ...options })
    cleanup.push(() => proxy.close(), () => client.close())
    instances.push(proxy.url)
  }
  return { a: instances[0]!, b: instances[1]!, logs }
}

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body), signal: AbortSignal.timeout(8000) })
  return { status: response.status, json: await response.json() }
}
const event = () => ({ project: 'Simple RAG', source: 'test', event_name: 'e', event_type: 'tool', config: {}, inputs: {}, duration: 1, event_id: crypto.randomUUID() })
const timesForwarded = (id: string) => flaky.forwardedEvents.filter((forwarded) => forwarded === id).length

test('the same envelope sent to both instances at once is forwarded once, and both answer accepted', async () => {
  const { a, b } = await twoInstances()
  const events = [event(), event(), event()]
  // Each answer takes a while, so that the second instance finds the ids pending.
  flaky.faults.push({ stallMs: 200 })
  const [fromA, fromB] = await Promise.all([post(a, { events }), post(b, { events })])
  for (const answer of [fromA, fromB]) {
    expect(answer.status).toBe(200)
    expect(answer.json.accepted.sort()).toEqual(events.map((e) => e.event_id).sort())
  }
  for (const e of events) expect(timesForwarded(e.event_id)).toBe(1)
})

test('a beacon, then the same items resent by the next page to the other instance: forwarded once', async () => {
  const { a, b } = await twoInstances()
  const events = [event(), event()]
  // The beacon's answer is never read; the items stay queued and go again on the next visit.
  await post(a, { events })
  const resent = await post(b, { events })
  expect(resent.json.accepted.sort()).toEqual(events.map((e) => e.event_id).sort())
  for (const e of events) expect(timesForwarded(e.event_id)).toBe(1)
})

test('stored upstream, then the connection reset: the retry on the other instance asks, and does not forward again', async () => {
  const { a, b } = await twoInstances()
  const sent = event()
  flaky.faults.push({ resetAfterForward: true })
  const first = await post(a, { events: [sent] })
  expect(first.status).toBe(503)
  const before = flaky.requests.length
  const retry = await post(b, { events: [sent] })
  expect(retry.json.accepted).toEqual([sent.event_id])
  expect(timesForwarded(sent.event_id)).toBe(1)
  // It asked the upstream (export by event_id) instead.
  expect(flaky.requests.slice(before)).toEqual(['POST /events/export'])
})

test('a reset before anything was stored: the retry asks, finds nothing, and forwards', async () => {
  const { a, b } = await twoInstances()
  const sent = event()
  flaky.faults.push({ reset: true })
  expect((await post(a, { events: [sent] })).status).toBe(503)
  const retry = await post(b, { events: [sent] })
  expect(retry.json.accepted).toEqual([sent.event_id])
  // The reset request was read by the relay before it was dropped: counted, never stored.
  const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: sent.event_id }] })
  expect(json.events).toHaveLength(1)
})

test('the rate limit counts the requests of both instances together', async () => {
  const { a, b } = await twoInstances({ rateLimit: { requests: 4, perMs: 60_000 } })
  const statuses = []
  for (const url of [a, b, a, b, a, b]) statuses.push((await post(url, { events: [event()] })).status)
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429])
})

test('an older update of an event that reaches the other instance after a newer one is not forwarded', async () => {
  const { a, b } = await twoInstances()
  const target = event()
  await post(a, { events: [target] })
  const newer = await post(a, { updates: [{ event_id: target.event_id, feedback: { rating: 5 } }], seq: [20] })
  const older = await post(b, { updates: [{ event_id: target.event_id, feedback: { rating: 1 } }], seq: [10] })
  expect(newer.json.accepted).toEqual([target.event_id])
  expect(older.json.accepted).toEqual([target.event_id])
  const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: target.event_id }] })
  expect(json.events[0].feedback).toEqual({ rating: 5 })
  expect(flaky.requests.filter((r) => r === 'PUT /events')).toHaveLength(1)
})

test('Redis going away: both instances forward and answer (never 500, never hang), warn once, and dedupe again once it is back', async () => {
  const { a, b, logs } = await twoInstances({ rateLimit: { requests: 100, perMs: 60_000 } })
  await redis.stop()
  try {
    const started = Date.now()
    const answers = []
    for (const url of [a, b, a, b]) answers.push(await post(url, { events: [event()] }))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200])
    expect(Date.now() - started).toBeLessThan(4000)
    // One warning per instance for the outage, not one per request or per item.
    expect(logs.filter((line) => line.includes('state failed'))).toHaveLength(2)
    expect(logs.join('\n')).not.toContain('test-key')
  } finally {
    await redis.start()
  }
  // Back: the clients reconnect, and a repeat is answered without forwarding.
  const sent = event()
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && !logs.some((line) => line.includes('answers again'))) {
    await post(a, { events: [event()] })
    await post(b, { events: [event()] })
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  expect(logs.filter((line) => line.includes('answers again')).length).toBeGreaterThanOrEqual(1)
  await post(a, { events: [sent] })
  await post(b, { events: [sent] })
  expect(timesForwarded(sent.event_id)).toBe(1)
}, 30_000)
