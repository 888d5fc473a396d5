import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createClient, PollenError, type ClientOptions } from '../../src/index.js'
import seed from '../fixtures/seed-event.json'
import { createFakeFetch, healthy, status } from '../support/fake-fetch.js'

let fake: ReturnType<typeof createFakeFetch>
const clients: { close(): Promise<void> }[] = []

function client(options: Partial<ClientOptions> = {}) {
  const hh = createClient({ project: 'Simple RAG', endpoint: '/api/pollen', storage: 'memory', flushInterval: 1000, ...options })
  clients.push(hh)
  return hh
}

beforeEach(() => {
  vi.useFakeTimers()
  fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  sessionStorage.clear()
  localStorage.clear()
})
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(clients.splice(0).map((c) => c.close()))
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('log()', () => {
  test('sends the seed event unchanged, after its session start', async () => {
    const hh = client({ source: 'playground', sessionId: seed.session_id })
    expect(hh.log(seed as never)).toBe(seed.event_id)
    await hh.flush()
    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request!.url).toBe('/api/pollen')
    expect(request!.headers['content-type']).toBe('text/plain;charset=UTF-8')
    expect(request!.json.events).toEqual([seed])
    expect(request!.json.sessions).toEqual([
      { project: 'Simple RAG', session_name: 'Simple RAG', source: 'playground', session_id: seed.session_id, start_time: Date.now() },
    ])
    expect(hh.stats()).toMatchObject({ pending: 0, sent: 2, dropped: 0, storage: 'memory' })
  })

  test('fills project, source, ids, times, config and inputs, and merges user properties', async () => {
    vi.setSystemTime(1_714_978_765_301)
    const hh = client({ userProperties: { user_id: 'u-42', plan: 'pro' } })
    const id = hh.log({ event_name: 'Model Completion', event_type: 'model', user_properties: { plan: 'team' }, duration: 999.8056 })
    await hh.flush()
    const [event] = fake.events()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(hh.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/)
    expect(event).toEqual({
      project: 'Simple RAG',
      source: 'production',
      event_name: 'Model Completion',
      event_type: 'model',
      event_id: id,
      session_id: hh.sessionId,
      parent_id: hh.sessionId,
      config: {},
      inputs: {},
      start_time: 1_714_978_765_301 - 999.8056,
      end_time: 1_714_978_765_301,
      duration: 999.8056,
      user_properties: { user_id: 'u-42', plan: 'team' },
    })
  })

  test('never sends null and omits undefined keys', async () => {
    const hh = client()
    hh.log({ event_name: 'x', event_type: 'tool', outputs: undefined, error: null as never, metadata: { kept: null, gone: undefined } })
    await hh.flush()
    const [event] = fake.events()
    expect('outputs' in event).toBe(false)
    expect('error' in event).toBe(false)
    expect(event.metadata).toEqual({ kept: null })
    expect(fake.requests[0]!.body.match(/null/g)).toEqual(['null']) // only the nested value the caller chose
  })

  test('keeps the session id across reloads of the tab (sessionStorage) and starts each session once', async () => {
    const first = client()
    first.log({ event_name: 'a', event_type: 'chain' })
    first.log({ event_name: 'b', event_type: 'chain' })
    await first.flush()
    const second = client()
    expect(second.sessionId).toBe(first.sessionId)
    second.log({ event_name: 'c', event_type: 'chain' })
    await second.flush()
    expect(fake.sessions()).toHaveLength(1)
  })
})

describe('invalid input throws PollenError naming the paths, and queues nothing', () => {
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  const big = 'x'.repeat(2000)
  const cases: [string, unknown, RegExp][] = [
    ['missing event_name', { event_type: 'model' }, /event_name: required: expected a string/],
    ['event_type outside model|tool|chain', { event_name: 'x', event_type: 'session' }, /event_type: expected one of "model", "tool", "chain", got "session"/],
    ['wrong type', { event_name: 'x', event_type: 'model', config: [] }, /config: expected an object, got array/],
    ['a function', { event_name: 'x', event_type: 'model', inputs: { fn: () => 1 } }, /inputs\.fn: expected a JSON value, got function/],
    ['a symbol', { event_name: 'x', event_type: 'model', metadata: { s: Symbol('s') } }, /metadata\.s: expected a JSON value, got symbol/],
    ['a BigInt', { event_name: 'x', event_type: 'model', metadata: { n: 1n } }, /metadata\.n: expected a JSON value, got bigint/],
    ['a cycle', { event_name: 'x', event_type: 'model', inputs: cyclic }, /inputs\.self: expected a JSON value, got a circular reference/],
    ['NaN', { event_name: 'x', event_type: 'model', metadata: { cost: Number.NaN } }, /metadata\.cost: expected a finite number, got NaN/],
    ['Infinity', { event_name: 'x', event_type: 'model', duration: Infinity }, /duration: expected a finite number, got Infinity/],
    ['a negative duration (the proxy would refuse it)', { event_name: 'x', event_type: 'model', duration: -5000 }, /duration: expected a number from 0 to 9007199254740991, got -5000/],
    ['a start_time past 2^53 − 1', { event_name: 'x', event_type: 'model', start_time: 1e21, duration: 1 }, /start_time: expected a number from 0 to 9007199254740991/],
    ['end_time before start_time', { event_name: 'x', event_type: 'model', start_time: 2000, end_time: 1000 }, /end_time: expected a time not before start_time \(2000\), got 1000/],
    ['an event over maxEventBytes', { event_name: 'x', event_type: 'model', inputs: { big } }, /expected at most 1024 bytes of JSON, got \d+ \(maxEventBytes\)/],
    ['not an object', 'hello', /\(root\): expected an event object, got string/],
    ['a camelCase field', { eventName: 'x', event_type: 'model' }, /unknown field "eventName"/],
  ]
  test.each(cases)('%s', async (_name, input, message) => {
    const hh = client({ maxEventBytes: 1024 })
    let error: unknown
    try {
      hh.log(input as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PollenError)
    expect((error as PollenError).code).toBe('invalid-event')
    expect((error as PollenError).message).toMatch(message)
    expect((error as PollenError).issues.length).toBeGreaterThan(0)
    await hh.flush()
    expect(fake.requests).toHaveLength(0)
    expect(hh.stats().pending).toBe(0)
  })

  test('lists several issues at once', () => {
    const hh = client()
    const error = (() => {
      try {
        hh.log({ event_type: 'x', config: 1 } as never)
      } catch (e) {
        return e as PollenError
      }
    })()
    expect(error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['config', 'event_name', 'event_type'])
  })

  test('update() and feedback() validate too', () => {
    const hh = client()
    expect(() => hh.update('not-a-uuid', { metadata: {} })).toThrow(/event_id: expected a lowercase UUIDv4/)
    expect(() => hh.update(seed.event_id, { inputs: {} } as never)).toThrow(/unknown field "inputs"/)
    expect(() => hh.update(seed.event_id, {})).toThrow(/at least one field/)
    expect(() => hh.feedback(seed.event_id, 'good' as never)).toThrow(/feedback: expected an object, got string/)
  })

  test('createClient refuses bad options, naming each', () => {
    expect(() => createClient({} as never)).toThrow(/project: required.*endpoint: required/)
    expect(() => createClient({ project: 'p', endpoint: '/x', batchSize: 0, storage: 'disk' as never })).toThrow(/batchSize: expected an integer ≥ 1; storage/)
    expect(() => createClient({ project: 'p', endpoint: '/x', sessionId: 'ABC' })).toThrow(/sessionId: expected a lowercase UUIDv4/)
    expect(() => createClient({ project: 'p', endpoint: '/x', enabled: 'no' as never })).toThrow(/enabled: expected a boolean/)
  })
})

describe('consent', () => {
  test('disabled, calls validate and return ids, and nothing is sent until enable(); a disabled vote tracks as dropped', async () => {
    const hh = client({ enabled: false })
    expect(hh.enabled).toBe(false)
    expect(() => hh.log({ event_name: 'x', event_type: 'session' } as never)).toThrow(PollenError)
    const id = hh.log({ event_name: 'before', event_type: 'model' })
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const ref = hh.feedback(id, { rating: true })
    const seen: unknown[] = []
    hh.track(ref, (delivery) => seen.push(delivery))
    await hh.flush()
    expect(fake.requests).toEqual([])
    expect(hh.stats()).toMatchObject({ pending: 0, drops: { disabled: 2 } })
    await vi.waitFor(() => expect(seen).toEqual([{ state: 'dropped', reason: 'disabled: the client was disabled' }]))

    hh.enable()
    const after = hh.log({ event_name: 'after', event_type: 'model' })
    await hh.flush()
    expect(fake.events().map((e) => e.event_id)).toEqual([after])
  })

  test('disable() without purge keeps what was queued and sends it after enable()', async () => {
    fake.next(status(503))
    const hh = client()
    const kept = hh.log({ event_name: 'kept', event_type: 'model' })
    await hh.flush()
    await hh.disable()
    expect(hh.stats().pending).toBeGreaterThan(0)
    fake.requests.length = 0
    await hh.flush()
    expect(fake.requests).toEqual([])
    hh.enable()
    await vi.waitFor(() => expect(fake.events().map((e) => e.event_id)).toContain(kept), { timeout: 5000 })
  })
})

describe('spans, feedback and updates', () => {
  test('a span knows its id at once and measures its duration with performance.now()', async () => {
    const now = vi.spyOn(performance, 'now')
    now.mockReturnValue(1000)
    const hh = client()
    const span = hh.start({ event_name: 'retrieve', event_type: 'tool', inputs: { q: 'hi' } })
    const child = hh.log({ event_name: 'inner', event_type: 'model', parent_id: span.id })
    now.mockReturnValue(1250.5)
    expect(span.end({ outputs: { docs: 3 } })).toBe(span.id)
    expect(() => span.end()).toThrow(/already ended/)
    await hh.flush()
    const events = fake.events()
    const logged = events.find((e) => e.event_id === span.id)
    expect(logged).toMatchObject({ event_name: 'retrieve', inputs: { q: 'hi' }, outputs: { docs: 3 }, duration: 250.5 })
    expect(logged.end_time - logged.start_time).toBe(251)
    expect(Number.isInteger(logged.end_time)).toBe(true)
    expect(events.find((e) => e.event_id === child).parent_id).toBe(span.id)
  })

  test('start() validates at once', () => {
    expect(() => client().start({ event_name: '', event_type: 'tool' })).toThrow(/event_name: expected a non-empty string/)
  })

  test('feedback() sends an update with feedback and merged user_properties', async () => {
    const hh = client({ userProperties: { user_id: 'u-1', plan: 'free' } })
    hh.feedback(seed.event_id, { rating: true, comment: 'spot on' }, { plan: 'pro' })
    hh.update(seed.event_id, { metadata: { edited: true } })
    await hh.flush()
    expect(fake.updates()).toEqual([
      { event_id: seed.event_id, feedback: { rating: true, comment: 'spot on' }, user_properties: { user_id: 'u-1', plan: 'pro' }, metadata: { edited: true } },
    ])
  })
})

describe('batching', () => {
  test('sends when batchSize items wait, and otherwise after flushInterval', async () => {
    const hh = client({ batchSize: 3, flushInterval: 5000 })
    hh.log({ event_name: 'a', event_type: 'tool' }) // + its session start = 2 items
    await vi.advanceTimersByTimeAsync(10)
    expect(fake.requests).toHaveLength(0)
    hh.log({ event_name: 'b', event_type: 'tool' })
    await vi.advanceTimersByTimeAsync(10)
    expect(fake.requests).toHaveLength(1)
    hh.log({ event_name: 'c', event_type: 'tool' })
    await vi.advanceTimersByTimeAsync(4900)
    expect(fake.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(fake.requests).toHaveLength(2)
  })

  test('a backlog goes in bigger requests, several at once, each body under 512 KiB', async () => {
    const hh = client({ batchSize: 50, maxEventBytes: 300 * 1024, flushInterval: 60_000 })
    for (let i = 0; i < 120; i++) hh.log({ event_name: `e${i}`, event_type: 'tool' })
    for (let i = 0; i < 4; i++) hh.log({ event_name: `big${i}`, event_type: 'tool', inputs: { text: 'y'.repeat(200 * 1024) } })
    await hh.flush()
    expect(fake.events()).toHaveLength(124)
    expect(new Set(fake.events().map((e) => e.event_id)).size).toBe(124)
    expect(fake.requests.length).toBeLessThan(124 / 50 + 4) // not one request per 50 items
    for (const request of fake.requests) expect(new TextEncoder().encode(request.body).length).toBeLessThanOrEqual(512 * 1024)
  })

  test('a few large events still go in bodies under 512 KiB', async () => {
    const hh = client({ batchSize: 50, maxEventBytes: 300 * 1024 })
    for (let i = 0; i < 4; i++) hh.log({ event_name: `big${i}`, event_type: 'tool', inputs: { text: 'y'.repeat(200 * 1024) } })
    await hh.flush()
    expect(fake.events()).toHaveLength(4)
    for (const request of fake.requests) expect(new TextEncoder().encode(request.body).length).toBeLessThanOrEqual(512 * 1024)
  })

  test('in a backlog, updates go after every request that creates events has answered', async () => {
    let open = 0
    let most = 0
    let updateSeenWhileCreating = false
    fake.next(
      ...Array.from({ length: 20 }, () => async (request: Parameters<typeof healthy>[0]) => {
        if (request.json.updates && open > 0) updateSeenWhileCreating = true
        most = Math.max(most, ++open)
        await new Promise((r) => setTimeout(r, 5))
        open--
        return healthy(request)
      }),
    )
    vi.useRealTimers()
    const hh = client({ batchSize: 10, flushInterval: 60_000 })
    // 6 kB each: a round of 200 items is ~1.2 MB, so it goes in several 512 KiB requests.
    const ids = Array.from({ length: 400 }, (_, i) => hh.log({ event_name: `e${i}`, event_type: 'tool', inputs: { pad: 'p'.repeat(6000) } }))
    hh.feedback(ids[0]!, { rating: true })
    await hh.flush()
    expect(fake.events()).toHaveLength(400)
    expect(fake.updates()).toEqual([{ event_id: ids[0], feedback: { rating: true } }])
    expect(fake.requests.at(-1)!.json.updates).toHaveLength(1)
    expect(updateSeenWhileCreating).toBe(false)
    expect(most).toBeGreaterThan(1) // the creates went several at once
  })
})

describe('retries', () => {
  test('honours Retry-After, then delivers', async () => {
    const hh = client()
    fake.next(status(503, { 'Retry-After': '7' }))
    hh.log({ event_name: 'a', event_type: 'tool' })
    await hh.flush()
    expect(fake.requests).toHaveLength(1)
    expect(hh.stats()).toMatchObject({ pending: 2, retrying: 2, retryAt: Date.now() + 7000 })
    await hh.flush() // an explicit flush does not jump the server's queue
    expect(fake.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(6900)
    expect(fake.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(fake.requests).toHaveLength(2)
    expect(hh.stats()).toMatchObject({ pending: 0, retrying: 0, sent: 2, retryAt: undefined })
  })

  test('backs off exponentially with full jitter on network errors', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const hh = client()
    fake.next('network-error', 'network-error', 'network-error')
    hh.log({ event_name: 'a', event_type: 'tool' })
    await hh.flush()
    const times = () => fake.requests.length
    // waits: 0.5 × 1 s, 0.5 × 2 s, 0.5 × 4 s
    await vi.advanceTimersByTimeAsync(499)
    expect(times()).toBe(1)
    await vi.advanceTimersByTimeAsync(2)
    expect(times()).toBe(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(times()).toBe(3)
    await vi.advanceTimersByTimeAsync(2000)
    expect(times()).toBe(4)
    expect(hh.stats().sent).toBe(2)
  })

  test('going back online ends a network backoff at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99)
    const hh = client()
    fake.next('network-error', 'network-error', 'network-error', 'network-error')
    hh.log({ event_name: 'a', event_type: 'tool' })
    await hh.flush()
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000)
    expect(fake.requests).toHaveLength(4)
    window.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(10)
    expect(fake.requests).toHaveLength(5)
    expect(hh.stats().pending).toBe(0)
  })

  test('other 4xx drop the items, counted by reason and told to onError', async () => {
    const onError = vi.fn()
    const hh = client({ onError })
    fake.next(status(403, {}, 'forbidden'))
    hh.log({ event_name: 'a', event_type: 'tool' })
    await hh.flush()
    expect(hh.stats()).toMatchObject({ pending: 0, dropped: 2, drops: { 'http-403': 2 } })
    expect(onError).toHaveBeenCalledOnce()
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'rejected', message: expect.stringMatching(/403: forbidden/) })
  })

  test('items the proxy rejects are dropped; the rest of the envelope is delivered', async () => {
    const hh = client()
    const good = hh.log({ event_name: 'good', event_type: 'tool' })
    const bad = hh.log({ event_name: 'bad', event_type: 'tool' })
    fake.next(Response.json({ accepted: [hh.sessionId, good], rejected: [{ id: bad, kind: 'event', code: 'invalid', message: 'no' }] }))
    await hh.flush()
    expect(hh.stats()).toMatchObject({ pending: 0, sent: 2, dropped: 1, drops: { invalid: 1 } })
  })
})

describe('bounds', () => {
  test('over maxQueueBytes the oldest events are evicted, never feedback', async () => {
    const onError = vi.fn()
    const hh = client({ maxQueueBytes: 4096, onError })
    fake.next('network-error')
    const ids = Array.from({ length: 20 }, (_, i) => hh.log({ event_name: `e${i}`, event_type: 'tool', inputs: { pad: 'z'.repeat(150) } }))
    hh.feedback(ids[0]!, { rating: false })
    await vi.advanceTimersByTimeAsync(0)
    const { drops, dropped } = hh.stats()
    expect(dropped).toBeGreaterThan(0)
    expect(drops['queue-full']).toBe(dropped)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'queue-full' }))
    await vi.advanceTimersByTimeAsync(60_000)
    const names = [...new Set(fake.events().map((e) => e.event_name))] // the failed first try is in the log too
    expect(names).toEqual(ids.slice(dropped).map((_, i) => `e${i + dropped}`))
    expect(fake.updates().at(-1)).toEqual({ event_id: ids[0], feedback: { rating: false } })
    expect(hh.stats().pending).toBe(0)
  })
})

test('items evicted while waiting for a retry no longer count as retrying', async () => {
  const hh = client({ maxQueueBytes: 8192 })
  fake.next('network-error')
  for (let i = 0; i < 10; i++) hh.log({ event_name: `old${i}`, event_type: 'tool', inputs: { pad: 'z'.repeat(150) } })
  await hh.flush()
  expect(hh.stats().retrying).toBe(11)
  for (let i = 0; i < 10; i++) hh.log({ event_name: `new${i}`, event_type: 'tool', inputs: { pad: 'z'.repeat(150) } })
  await vi.advanceTimersByTimeAsync(0)
  const { retrying, pending, dropped } = hh.stats()
  expect(dropped).toBeGreaterThan(0)
  expect(retrying).toBe(11 - dropped)
  expect(retrying).toBeLessThanOrEqual(pending)
})

describe('hooks', () => {
  test('beforeSend can change an event or drop it (counted)', async () => {
    const hh = client({
      beforeSend: (event) => (event.event_name === 'secret' ? null : { ...event, metadata: { scrubbed: true } }),
    })
    hh.log({ event_name: 'secret', event_type: 'tool' })
    hh.log({ event_name: 'open', event_type: 'tool' })
    await hh.flush()
    expect(fake.events().map((e) => [e.event_name, e.metadata])).toEqual([['open', { scrubbed: true }]])
    expect(hh.stats().drops).toEqual({ 'before-send': 1 })
  })

  test('a throwing beforeSend or onError never reaches the caller', async () => {
    const hh = client({
      beforeSend: () => {
        throw new Error('oops')
      },
      onError: () => {
        throw new Error('worse')
      },
    })
    expect(() => hh.log({ event_name: 'x', event_type: 'tool' })).not.toThrow()
    expect(hh.stats().drops).toEqual({ 'before-send': 1 })
  })

  test('subscribe() is called now and after changes, until unsubscribed', async () => {
    const hh = client()
    const seen: number[] = []
    const off = hh.subscribe((stats) => seen.push(stats.pending))
    hh.log({ event_name: 'x', event_type: 'tool' })
    await vi.advanceTimersByTimeAsync(0)
    await hh.flush()
    off()
    hh.log({ event_name: 'y', event_type: 'tool' })
    await vi.advanceTimersByTimeAsync(0)
    expect(seen[0]).toBe(0)
    expect(seen).toContain(2)
    expect(seen.at(-1)).toBe(0)
  })

  test('close() flushes, and later calls throw client-closed', async () => {
    const hh = client()
    hh.log({ event_name: 'x', event_type: 'tool' })
    await hh.close()
    expect(fake.events()).toHaveLength(1)
    expect(() => hh.log({ event_name: 'x', event_type: 'tool' })).toThrow(expect.objectContaining({ code: 'client-closed' }))
  })
})

describe('unload path', () => {
  test('on hide, sends unsent items by sendBeacon as a text envelope, once', async () => {
    const beacons: { url: string; body: string }[] = []
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: (url: string, body: string) => (beacons.push({ url, body }), true) }))
    const hh = client()
    const id = hh.log({ event_name: 'x', event_type: 'tool' })
    hh.feedback(id, { rating: true })
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new Event('pagehide'))
    expect(beacons).toHaveLength(1)
    const envelope = JSON.parse(beacons[0]!.body)
    expect(beacons[0]!.url).toBe('/api/pollen')
    expect(envelope.sessions).toHaveLength(1)
    expect(envelope.events.map((e: { event_id: string }) => e.event_id)).toEqual([id])
    expect(envelope.updates).toEqual([{ event_id: id, feedback: { rating: true } }])
    // Still pending: a beacon's fate is unknown, so items stay queued until a send confirms them.
    expect(hh.stats().pending).toBe(3)
  })

  test('stops at the 64 KiB budget and leaves the rest queued', async () => {
    const sizes: number[] = []
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: (_url: string, body: string) => (sizes.push(body.length), true) }))
    const hh = client({ batchSize: 1000, flushInterval: 60_000 })
    for (let i = 0; i < 40; i++) hh.log({ event_name: `e${i}`, event_type: 'tool', inputs: { pad: 'p'.repeat(4000) } })
    window.dispatchEvent(new Event('pagehide'))
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(64 * 1024)
    expect(sizes.length).toBeGreaterThan(0)
    expect(hh.stats().pending).toBe(41)
  })

  test('a page remembers that the proxy reads gzip: the next page gzips its beacons before any answer, until a gzip body is refused', async () => {
    const readsGzip = (request: Parameters<typeof healthy>[0]) => {
      const answer = healthy(request)
      return answer.json().then((json) => Response.json({ ...json, supports: ['seq', 'gzip'] }))
    }
    fake.next(readsGzip)
    const first = client()
    first.log({ event_name: 'earlier page', event_type: 'tool' })
    await first.flush()
    await first.close()

    const beacons: unknown[] = []
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon: (_url: string, body: unknown) => (beacons.push(body), true) }))
    const second = client({ flushInterval: 60_000, batchSize: 1000 })
    // More than 64 KiB of plain JSON: gzip carries more (what fits plain goes plain).
    const ids = Array.from({ length: 30 }, (_, i) => second.log({ event_name: 'closing page', event_type: 'tool', inputs: { turn: i, text: 'the same words again '.repeat(200) } }))
    const [id] = ids
    window.dispatchEvent(new Event('pagehide'))
    expect(beacons.length).toBeGreaterThan(0)
    const body = beacons[0] as Uint8Array
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b])
    const inflated = await new Response(new Blob([body as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'))).json()
    expect(inflated.events.map((event: { event_id: string }) => event.event_id)).toEqual(ids)

    // A proxy rolled back refuses gzip with 400: the client sends plain again, and forgets gzip for later pages.
    window.dispatchEvent(new Event('pageshow'))
    fake.next(status(400))
    await second.flush()
    expect(fake.events().map((event) => event.event_id)).toContain(id)
    beacons.length = 0
    const third = client({ flushInterval: 60_000, batchSize: 1000 })
    for (let i = 0; i < 30; i++) third.log({ event_name: 'later page', event_type: 'tool', inputs: { turn: i, text: 'the same words again '.repeat(200) } })
    window.dispatchEvent(new Event('pagehide'))
    expect(beacons.length).toBeGreaterThan(0)
    expect(beacons.every((beacon) => typeof beacon === 'string')).toBe(true)
  })
})

test('enable, disable and purge work unbound, as a page passes them around', async () => {
  fake.next(status(503))
  const hh = client()
  const { disable, enable, purge } = hh
  hh.log({ event_name: 'forgotten', event_type: 'model' })
  await hh.flush()
  await disable({ purge: true })
  expect(hh.stats()).toMatchObject({ pending: 0, drops: { purged: 2 } }) // the event and its session start
  expect(hh.enabled).toBe(false)
  enable()
  expect(hh.enabled).toBe(true)
  await purge()
  fake.requests.length = 0 // the refused send of 'forgotten', before the purge
  const kept = hh.log({ event_name: 'kept', event_type: 'model' })
  await vi.waitFor(() => expect(fake.events().map((e) => e.event_id)).toEqual([kept]), { timeout: 5000 })
})
