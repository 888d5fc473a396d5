import { afterEach, expect, test, vi } from 'vitest'
import { utf8Length } from '../../src/schema/index.js'
import { sendOnUnload, UNLOAD_BUDGET_BYTES, type WireItem } from '../../src/transport/index.js'

const BUDGET = 64 * 1024
/** A path on the test server: beacons to it get a 404, which is fine, nobody reads them. */
const ENDPOINT = '/__pollen-unload-budget'

let n = 0
/** A wire item of about `size` bytes of JSON; `text` lets a test use non-ASCII content. */
const wire = (kind: WireItem['kind'], size: number, text = 'x'): WireItem => {
  n++
  const base = { [kind === 'session' ? 'session_id' : 'event_id']: `id-${n}` }
  const padding = text.repeat(Math.max(0, Math.floor((size - 40) / utf8Length(text))))
  const json = JSON.stringify({ ...base, content: padding })
  return { key: String(n).padStart(15, '0'), kind, id: `id-${n}`, json, bytes: utf8Length(json) }
}
const events = (count: number, size: number, text?: string) => Array.from({ length: count }, () => wire('event', size, text))
const keys = (items: WireItem[]) => items.map((item) => item.key)

interface Call {
  bytes: number
  accepted: boolean
}

/** Wraps navigator.sendBeacon to record each body's UTF-8 size; `answer` replaces Chromium's own answer. */
function recordBeacons(answer?: () => boolean): Call[] {
  const calls: Call[] = []
  const real = navigator.sendBeacon.bind(navigator)
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    const bytes = typeof body === 'string' ? utf8Length(body) : (body as Blob).size
    const accepted = answer ? answer() : real(url, body)
    calls.push({ bytes, accepted })
    return accepted
  })
  return calls
}
const total = (calls: Call[]) => calls.reduce((sum, call) => sum + call.bytes, 0)

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

test('the budget is 64 KiB', () => {
  expect(UNLOAD_BUDGET_BYTES).toBe(BUDGET)
})

// First in the file: Chromium's budget is shared by the page's beacons still in flight.
test('proxy mode: ~200 KiB queued, Chromium accepts every beacon sent, 64 KiB at most; the rest is returned unsent', () => {
  const items = [wire('session', 300), ...events(100, 2000)]
  const calls = recordBeacons()
  const { sent, bytes } = sendOnUnload({ mode: 'proxy', endpoint: ENDPOINT }, items)

  expect(calls.length).toBeGreaterThan(0)
  expect(calls.every((call) => call.accepted)).toBe(true)
  expect(total(calls)).toBeLessThanOrEqual(BUDGET)
  // What the page counts as in flight (for a second unload) is never less than what it sent.
  expect(bytes).toBeGreaterThanOrEqual(total(calls))
  // The oldest go first; the rest stays for the next visit.
  expect(keys(sent)).toEqual(keys(items.slice(0, sent.length)))
  expect(sent.length).toBeGreaterThan(1)
  expect(sent.length).toBeLessThan(items.length)
  // It used the budget, not a sliver of it: one more event would not have fitted.
  expect(total(calls) + items[sent.length]!.bytes).toBeGreaterThan(BUDGET - 64)
})

test('proxy mode: with multi-byte text, the bodies stay within 64 KiB of UTF-8', () => {
  const items = events(100, 2000, 'é€😀')
  const calls = recordBeacons(() => true)
  const { sent, bytes } = sendOnUnload({ mode: 'proxy', endpoint: ENDPOINT }, items)
  expect(sent.length).toBeGreaterThan(0)
  expect(total(calls)).toBeLessThanOrEqual(BUDGET)
  expect(bytes).toBeGreaterThanOrEqual(total(calls))
})

test('proxy mode: what is already in flight counts against the budget', () => {
  const calls = recordBeacons(() => true)
  const { sent } = sendOnUnload({ mode: 'proxy', endpoint: ENDPOINT }, events(100, 2000), 40_000)
  expect(sent.length).toBeGreaterThan(0)
  expect(total(calls)).toBeLessThanOrEqual(BUDGET - 40_000)
  expect(sendOnUnload({ mode: 'proxy', endpoint: ENDPOINT }, events(3, 100), BUDGET).sent).toEqual([])
})

test('proxy mode: a beacon Chromium refuses sends nothing, and nothing is reported sent', () => {
  const calls = recordBeacons(() => false)
  const { sent, bytes } = sendOnUnload({ mode: 'proxy', endpoint: ENDPOINT }, events(10, 500))
  expect(calls).toHaveLength(1)
  expect(sent).toEqual([])
  expect(bytes).toBe(0)
})

test('direct mode: keepalive fetches with the key, 64 KiB in total, and the events get the budget left after the session', () => {
  const requests: { url: string; init: RequestInit; bytes: number }[] = []
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    requests.push({ url, init, bytes: utf8Length(String(init.body)) })
    return Promise.resolve(new Response(null, { status: 200 }))
  })
  // Event sizes that fill a 64 KiB chunk nearly to the byte: the session must not crowd them out.
  const session = wire('session', 400)
  const items = [session, ...events(400, 300)]
  const { sent, bytes } = sendOnUnload({ mode: 'direct', endpoint: 'https://api.example.test', apiKey: 'k' }, items)

  expect(requests.every((request) => request.init.keepalive === true)).toBe(true)
  expect(requests.every((request) => (request.init.headers as Record<string, string>).Authorization === 'Bearer k')).toBe(true)
  expect(requests.map((request) => request.url)).toEqual(['https://api.example.test/session/start', 'https://api.example.test/events/batch'])
  expect(bytes).toBe(requests.reduce((sum, request) => sum + request.bytes, 0))
  expect(bytes).toBeLessThanOrEqual(BUDGET)
  expect(keys(sent)).toEqual(keys(items.slice(0, sent.length)))
  expect(sent.filter((item) => item.kind === 'event').length).toBeGreaterThan(100)
})
