// @vitest-environment node
/**
 * The proxy's hostile-input matrix, over node:http (raw TCP where fetch would
 * refuse the request) and through the web handler alone. After every case the
 * server still serves, nothing wrong was stored, and no answer holds the key.
 * Grow it with every server change.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createProxyHandler, type ProxyOptions } from '../../src/proxy/index.js'
import seed from '../fixtures/seed-event.json'
import { http, raw } from '../support/raw-http.js'
import { hh, startProxy, startStack } from '../support/servers.js'

const KEY = 'test-key'
const event = (patch: Record<string, unknown> = {}) => ({ ...seed, event_id: crypto.randomUUID(), ...patch })
const envelope = (body: unknown) => JSON.stringify(body)

let stack: Awaited<ReturnType<typeof startStack>>
beforeAll(async () => {
  stack = await startStack({ rateLimit: false })
})
afterAll(() => stack.close())

const stats = async () => (await hh(stack.collector.url, 'GET', '/stats')).json as { received: number; stored: number; updates: number }
const host = () => new URL(stack.proxy.url).host

/** Still serving: a valid event goes through and is stored. */
async function stillServes(url = stack.proxy.url) {
  const sent = event()
  const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: envelope({ events: [sent] }) })
  expect(await answer.json()).toEqual({ accepted: [sent.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
}

describe('node:http: requests that used to kill the server or pass for another origin', () => {
  // [name, request text (given the proxy's host), expected status (undefined: closed without an answer), body pattern]
  const cases: [string, (host: string) => string, number | undefined, RegExp?][] = [
    ['TRACE', (h) => http('TRACE /api/pollen HTTP/1.1', { Host: h }), 405, /TRACE is not allowed/],
    // Node's parser refuses methods it does not know before the proxy sees them.
    ['TRACK', (h) => http('TRACK /api/pollen HTTP/1.1', { Host: h }), 400, undefined],
    ['a Host with a space', () => http('POST /api/pollen HTTP/1.1', { Host: 'a b', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })), 400, /Host header is not a host name/],
    ['a Host with a path', () => http('POST /api/pollen HTTP/1.1', { Host: 'evil.example/x', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })), 400, /Host header/],
    [
      'a path that looks like another origin (//evil.example/…) with that Origin',
      (h) => http('POST //evil.example/api/pollen HTTP/1.1', { Host: h, Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })),
      403,
      /Origin http:\/\/evil\.example may not use this endpoint/,
    ],
    [
      'an absolute request target on another origin with that Origin',
      (h) => http('POST http://evil.example/api/pollen HTTP/1.1', { Host: h, Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })),
      403,
      /origin-not-allowed/,
    ],
    [
      'an absolute target that is not a URL',
      (h) => http('POST http:// HTTP/1.1', { Host: h, 'Content-Type': 'text/plain' }, envelope({ events: [event()] })),
      400,
      undefined,
    ],
    [
      'X-Forwarded-Proto and X-Forwarded-Host without trustProxy',
      (h) => http('POST /api/pollen HTTP/1.1', { Host: h, 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example', Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })),
      403,
      /origin-not-allowed/,
    ],
    ['Origin: null', (h) => http('POST /api/pollen HTTP/1.1', { Host: h, Origin: 'null', 'Content-Type': 'text/plain' }, envelope({ events: [event()] })), 403, /Origin null/],
    ['a preflight from another origin', (h) => http('OPTIONS /api/pollen HTTP/1.1', { Host: h, Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }), 403, /origin-not-allowed/],
    ['a method that is not a token', (h) => `P(ST /api/pollen HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 400, undefined],
    ['a content-length that is not a number', (h) => `POST /api/pollen HTTP/1.1\r\nHost: ${h}\r\nContent-Length: abc\r\n\r\n{}`, 400, undefined],
    ['a header of 100 kB', (h) => http('POST /api/pollen HTTP/1.1', { Host: h, Origin: `http://${'x'.repeat(100_000)}.example` }, '{}'), 431, undefined],
    ['a CONNECT', (h) => `CONNECT ${h} HTTP/1.1\r\nHost: ${h}\r\n\r\n`, undefined, undefined],
  ]
  test.each(cases)('%s: answered, nothing stored, still up', async (_name, request, status, body) => {
    const before = await stats()
    const answer = await raw(stack.proxy.url, request(host()))
    expect(answer.status).toBe(status)
    if (body) expect(answer.body).toMatch(body)
    expect(answer.body + answer.head).not.toContain(KEY)
    expect((await stats()).received).toBe(before.received)
    await stillServes()
  })

  test('a request from the proxy\'s own origin with a Host and no path tricks is taken', async () => {
    const sent = event()
    const answer = await raw(stack.proxy.url, http('POST /api/pollen HTTP/1.1', { Host: host(), Origin: `http://${host()}`, 'Content-Type': 'text/plain', Connection: 'close' }, envelope({ events: [sent] })))
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ accepted: [sent.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  })

  test('a client that goes away in the middle of its body: nothing stored, the server up', async () => {
    const before = await stats()
    const full = envelope({ events: [event()] })
    const answer = await raw(stack.proxy.url, `POST /api/pollen HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: ${full.length}\r\n\r\n${full.slice(0, 40)}`, { waitMs: 200 })
    expect(answer.status).toBeUndefined()
    await new Promise((r) => setTimeout(r, 100))
    expect((await stats()).received).toBe(before.received)
    await stillServes()
  })
})

describe('the deadline: timeoutMs bounds the whole request', () => {
  let silent: { url: string; close(): Promise<void>; hits: () => number }
  beforeAll(async () => {
    silent = await startSilent()
  })
  afterAll(() => silent.close())

  test('an upstream that never answers: 40 sessions and 1,000 updates are answered 503 within the deadline', async () => {
    const proxy = await startProxy({ upstream: silent.url, timeoutMs: 300, rateLimit: false })
    try {
      const sessions = Array.from({ length: 40 }, () => ({ project: 'p', session_name: 's', source: 'x', session_id: crypto.randomUUID() }))
      let started = Date.now()
      let answer = await fetch(proxy.url, { method: 'POST', body: envelope({ sessions }) })
      expect(answer.status).toBe(503)
      expect(answer.headers.get('retry-after')).toBe('5')
      expect(Date.now() - started).toBeLessThan(1000)
      const updates = Array.from({ length: 1000 }, () => ({ event_id: crypto.randomUUID(), feedback: { rating: true } }))
      started = Date.now()
      answer = await fetch(proxy.url, { method: 'POST', body: envelope({ updates }) })
      expect(answer.status).toBe(503)
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await proxy.close()
    }
  })

  test('a body that trickles in forever is answered 408 at the deadline, and the server stays up', async () => {
    const proxy = await startProxy({ upstream: stack.collector.url, timeoutMs: 400, rateLimit: false })
    try {
      const { host: h } = new URL(proxy.url)
      const answer = await raw(proxy.url, `POST /api/pollen HTTP/1.1\r\nHost: ${h}\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n{`, { waitMs: 3000, trickle: true })
      expect(answer.status).toBe(408)
      expect(answer.body).toMatch(/did not arrive within 400 ms/)
      expect(answer.ms).toBeLessThan(1500)
      await stillServes(proxy.url)
    } finally {
      await proxy.close()
    }
  })

  test('an authorize that never answers is bounded too', async () => {
    const proxy = await startProxy({ upstream: stack.collector.url, timeoutMs: 300, authorize: () => new Promise(() => undefined) })
    try {
      const started = Date.now()
      const answer = await fetch(proxy.url, { method: 'POST', body: envelope({ events: [event()] }) })
      expect(answer.status).toBe(503)
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await proxy.close()
    }
  })
})

describe('fields that must not be trusted or passed through', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: envelope(body) }).then(async (r) => ({ status: r.status, text: await r.text() }))

  // [name, item kind, item, message pattern]
  const items: [string, 'events' | 'sessions' | 'updates', Record<string, unknown>, RegExp][] = [
    ['an event without event_id', 'events', { ...event(), event_id: undefined }, /^event_id: required: expected a lowercase UUIDv4$/],
    ['a session without session_id', 'sessions', { project: 'p', session_name: 's', source: 'x' }, /^session_id: required/],
    ['a negative duration', 'events', event({ duration: -5000 }), /^duration: expected a number from 0 to 9007199254740991, got -5000$/],
    ['end_time before start_time', 'events', event({ start_time: 2000, end_time: 1000, duration: 1 }), /^end_time: expected a time not before start_time \(2000\), got 1000$/],
    ['start_time 1e21', 'events', event({ start_time: 1e21 }), /^start_time: expected a number from 0 to 9007199254740991, got 1e\+21$/],
    ['a negative duration on a session', 'sessions', { project: 'p', session_name: 's', source: 'x', session_id: crypto.randomUUID(), duration: -1 }, /^duration: expected a number from 0/],
  ]
  test.each(items)('%s is rejected alone, and never reported as accepted', async (_name, kind, item, message) => {
    const good = event()
    const before = await stats()
    const answer = await post(stack.proxy.url, { events: [good], [kind]: kind === 'events' ? [good, item] : [item] })
    const body = JSON.parse(answer.text)
    expect(body.accepted).toEqual([good.event_id])
    const id = kind === 'sessions' ? item.session_id : item.event_id
    expect(body.rejected).toEqual([{ id: id ?? '', kind: kind.slice(0, -1), code: 'invalid', message: expect.stringMatching(message) }])
    expect(answer.text).not.toContain('undefined')
    expect((await stats()).stored).toBe(before.stored + 1)
  })

  test.each([
    ['a string', 'abc'],
    ['an array', ['a', 'b']],
    ['a number', 5],
  ])('user_properties that is %s, with authorize on, is refused, never spread into an object', async (_name, value) => {
    const proxy = await startProxy({ upstream: stack.collector.url, rateLimit: false, authorize: () => ({ user_properties: { user_id: 'verified' } }) })
    try {
      const bad = event({ user_properties: value })
      const answer = JSON.parse((await post(proxy.url, { events: [bad], updates: [{ event_id: seed.event_id, feedback: { rating: true }, user_properties: value }] })).text)
      expect(answer.accepted).toEqual([])
      expect(answer.rejected.map((r: { message: string }) => r.message)).toEqual([
        expect.stringMatching(/^user_properties: expected an object, got /),
        expect.stringMatching(/^user_properties: expected an object, got /),
      ])
    } finally {
      await proxy.close()
    }
  })

  test('an upstream error that quotes the key or the Authorization header reaches neither the browser nor the log', async () => {
    const lines: string[] = []
    const echo = await startEcho((req) => `bad request: authorization=${req.headers.authorization}; key ${KEY}; {"api_key":"${KEY}"}`)
    const proxy = await startProxy({ upstream: echo.url, rateLimit: false, log: (line) => lines.push(line) })
    try {
      const sent = event()
      const answer = await post(proxy.url, { events: [sent] })
      expect(answer.text).not.toContain(KEY)
      expect(JSON.parse(answer.text).rejected[0]).toMatchObject({ id: sent.event_id, code: 'upstream-400', message: expect.stringContaining('[redacted]') })
      expect(lines.join('\n')).not.toContain(KEY)
    } finally {
      await proxy.close()
      await echo.close()
    }
  })
})

describe('the rate limit is keyed on what the runtime vouches for, never the body', () => {
  const send = (url: string, headers: Record<string, string> = {}, sessionId = crypto.randomUUID()) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: envelope({ events: [event({ session_id: sessionId })] }) }).then((r) => r.status)

  const withProxy = async (options: Partial<ProxyOptions>, run: (url: string) => Promise<void>) => {
    const proxy = await startProxy({ upstream: stack.collector.url, rateLimit: { requests: 3, perMs: 60_000 }, ...options })
    try {
      await run(proxy.url)
    } finally {
      await proxy.close()
    }
  }

  test('a new session id per request does not get around it', () =>
    withProxy({}, async (url) => {
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push(await send(url))
      expect(statuses).toEqual([200, 200, 200, 429, 429])
    }))

  test('X-Forwarded-For is ignored without trustProxy', () =>
    withProxy({}, async (url) => {
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push(await send(url, { 'X-Forwarded-For': `10.0.0.${i}` }))
      expect(statuses).toEqual([200, 200, 200, 429])
    }))

  test('with trustProxy, the address the trusted proxy appended keys the bucket, not what the client wrote before it', () =>
    withProxy({ trustProxy: true }, async (url) => {
      // The client forges the left part; the load balancer appends the real address.
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push(await send(url, { 'X-Forwarded-For': `6.6.6.${i}, 203.0.113.7` }))
      expect(statuses).toEqual([200, 200, 200, 429])
      expect(await send(url, { 'X-Forwarded-For': '203.0.113.8' })).toBe(200)
      // Garbage in the header falls back to the socket's address, whose bucket is untouched.
      expect(await send(url, { 'X-Forwarded-For': 'x'.repeat(5000) })).toBe(200)
    }))

  test('clientKey decides when given, and huge keys stay bounded', () =>
    withProxy({ clientKey: (request) => request.headers.get('x-user') ?? undefined }, async (url) => {
      // Node refuses headers past 16 kB; clientKey could as well return a megabyte from a cookie store.
      const big = 'u'.repeat(10_000)
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push(await send(url, { 'X-User': `${big}-${i}` }))
      // Keys are cut to a bounded length, so long keys cannot exhaust memory: these four share a bucket.
      expect(statuses).toEqual([200, 200, 200, 429])
      expect(await send(url, { 'X-User': 'someone else' })).toBe(200)
    }))

  test("the authorized user's id keys the bucket", () =>
    withProxy({ authorize: (request) => ({ user_properties: { user_id: request.headers.get('x-user') ?? 'anon' } }) }, async (url) => {
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push(await send(url, { 'X-User': 'alice' }))
      expect(statuses).toEqual([200, 200, 200, 429])
      expect(await send(url, { 'X-User': 'bob' })).toBe(200)
    }))

  test('without any key (a web runtime that gives no address), one bucket is shared', async () => {
    const handler = createProxyHandler({ project: 'Simple RAG', upstream: stack.collector.url, apiKey: KEY, rateLimit: { requests: 2, perMs: 60_000 }, log: () => undefined })
    const statuses = []
    for (let i = 0; i < 3; i++) {
      const response = await handler(new Request('https://app.example/api/pollen', { method: 'POST', body: envelope({ events: [event()] }), headers: { 'X-Forwarded-For': `10.0.0.${i}` } }))
      statuses.push(response.status)
    }
    expect(statuses).toEqual([200, 200, 429])
  })
})

describe('the web handler alone (Next.js, Workers, Hono)', () => {
  const handler = createProxyHandler({ apiKey: KEY, project: 'Simple RAG', upstream: 'http://127.0.0.1:9', rateLimit: false, log: () => undefined })
  const call = (url: string, headers: Record<string, string>, method = 'POST') =>
    handler(new Request(url, { method, headers, body: method === 'POST' ? envelope({ events: [event()] }) : undefined }))

  test.each([
    ['an Origin equal to an absolute target the runtime trusted, while Host names the proxy', 'http://evil.example/api/pollen', { Host: 'proxy.example', Origin: 'http://evil.example' }],
    ['a forged X-Forwarded-Host without trustProxy', 'http://proxy.example/api/pollen', { 'X-Forwarded-Host': 'evil.example', Origin: 'http://evil.example' }],
    ['a sibling subdomain', 'https://app.example/api/pollen', { Origin: 'https://evil.app.example' }],
    ['another scheme of the same host', 'https://app.example/api/pollen', { Origin: 'http://app.example' }],
  ])('%s: 403', async (_name, url, headers) => {
    const response = await call(url, headers)
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('with the origin option, the stated origin is the only own one: a Host that names another site does not count', async () => {
    const stated = createProxyHandler({ apiKey: KEY, project: 'Simple RAG', upstream: 'http://127.0.0.1:9', origin: 'https://chat.example', rateLimit: false, log: () => undefined })
    const response = await stated(new Request('https://rebound.example/api/pollen', { method: 'POST', headers: { Host: 'rebound.example', Origin: 'https://rebound.example' }, body: '{}' }))
    expect(response.status).toBe(403)
  })

  test("Sec-Fetch-Site: same-origin (a browser's word) passes behind a TLS-terminating proxy without configuration", async () => {
    const response = await call('http://internal:3000/api/pollen', { Origin: 'https://chat.example', 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/xml' })
    // Past the origin check: refused for its content type, not its origin.
    expect(response.status).toBe(415)
  })

  test('options: apiKey may be left out with a local upstream, not without one; a bad origin option throws at once', () => {
    expect(() => createProxyHandler({ project: 'p', upstream: 'http://127.0.0.1:8787' })).not.toThrow()
    expect(() => createProxyHandler({ project: 'p' })).toThrow(/apiKey is required to forward to HoneyHive/)
    expect(() => createProxyHandler({ project: 'p', apiKey: 'k', origin: 'not a url' })).toThrow()
  })

  test('a proxy without a key forwards to a collector without one, and sends no Authorization header', async () => {
    let authorization: string | undefined = 'unset'
    const open = await startEcho((req) => {
      authorization = req.headers.authorization
      return ''
    }, 200)
    try {
      const local = createProxyHandler({ project: 'Simple RAG', upstream: open.url, log: () => undefined })
      const sent = event()
      const response = await local(new Request('http://localhost/api/pollen', { method: 'POST', body: envelope({ events: [sent] }) }))
      expect(await response.json()).toEqual({ accepted: [sent.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
      expect(authorization).toBeUndefined()
    } finally {
      await open.close()
    }
  })
})

/** An upstream that reads the request and never answers. */
async function startSilent() {
  let hits = 0
  const server = createServer((req) => {
    hits++
    req.resume()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** An upstream that answers every request `status` with `{message}` made from the request. */
async function startEcho(message: (req: IncomingMessage) => string, status = 400) {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(status === 200 ? JSON.stringify({ success: true }) : JSON.stringify({ statusCode: status, message: message(req), success: false, errorCode: 'X' }))
    })
    if (status === 200) message(req)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
