// @vitest-environment node
/**
 * The hostile-input matrix of the collector's own servers, `startCollector`
 * and `startSite` (`--static`, the collector at /honeyhive): each case gets a
 * JSON answer naming the problem, within a bounded time, stores nothing,
 * never shows the API key, and the server serves a valid request afterwards.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCollector, startCollector } from '../../src/collector/index.js'
import { startSite } from '../../src/cli/site.js'
import seed from '../fixtures/seed-event.json'
import { raw } from '../support/raw-http.js'

const KEY = 'hostile-key-7f3a9c'
const ALLOWED = 'http://localhost:5173'
const MiB = 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), 'pollen-hostile-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>site</title>')

type Started = { url: string; close(): Promise<void> }
type Options = Parameters<typeof startCollector>[0]
const common: Options = { port: 0, host: '127.0.0.1', db: ':memory:', apiKey: KEY, allowedOrigins: [ALLOWED], allowedHosts: ['collector.test'] }
const targets: { name: string; base: string; start(options?: Options): Promise<Started> }[] = [
  { name: 'startCollector', base: '', start: (options) => startCollector({ ...common, ...options }) },
  { name: 'startSite', base: '/honeyhive', start: (options) => startSite({ ...common, ...options, dir, project: 'Simple RAG' }) },
]

const event = (patch: Record<string, unknown> = {}) => ({ ...seed, event_id: crypto.randomUUID(), ...patch })
/** JSON nested `levels` deep, written as text: JSON.stringify itself overflows at 100,000. */
const deepText = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)
const deep = (levels: number) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = { d: value }
  return value
}

interface Answer {
  status: number
  text: string
  json: any
  headers: Headers
}

/** Calls a server with the key (unless `key` is ''), and checks that the answer does not contain it. */
async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}, key = KEY): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  expect(text).not.toContain(KEY)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json, headers: response.headers }
}

/** A raw answer as {@link call} gives it; a server that neither answered nor closed in time fails here. */
async function rawCall(url: string, request: string, options?: Parameters<typeof raw>[2]) {
  const answer = await raw(url, request, options)
  expect(answer.status, `an answer to ${JSON.stringify(request.slice(0, 60))}`).toBeDefined()
  let json: any
  try {
    json = JSON.parse(answer.body)
  } catch {
    json = undefined
  }
  return { status: answer.status!, text: answer.head + answer.body, json, ms: answer.ms }
}

/** Checks an answer: `status`, HoneyHive's error body, no key. */
function expectFailure(answer: { status: number; json: any; text: string }, status: number, errorCode: string | RegExp, message: RegExp = /./) {
  expect(answer.text).not.toContain(KEY)
  expect(answer.status).toBe(status)
  expect(answer.json).toEqual({ statusCode: status, success: false, errorCode: expect.stringMatching(errorCode), message: expect.stringMatching(message) })
}

describe.each(targets)('$name', (target) => {
  let server: Started
  beforeAll(async () => {
    server = await target.start()
  })
  afterAll(() => server?.close())
  const at = (path: string) => server.url + target.base + path
  const host = () => new URL(server.url).host
  const stored = async () => (await call(at('/stats'), 'GET')).json.stored as number

  /** Still serving: a valid event is stored, and nothing else was. */
  async function stillServes(before: number) {
    expect(await stored()).toBe(before)
    const ok = await call(at('/events'), 'POST', { event: event() })
    expect(ok.status).toBe(200)
    expect(await stored()).toBe(before + 1)
  }

  // [name, method, path, body, extra headers, status, errorCode, message]
  const refused: [string, string, string, unknown, Record<string, string>, number, string, RegExp][] = [
    ['malformed percent-encoding in a session id', 'GET', '/session/%E0%A4%A', undefined, {}, 400, 'VALIDATION_ERROR', /^session_id: malformed percent-encoding in "%E0%A4%A"$/],
    ['a dateRange bound that is no date', 'POST', '/events/export', { project: 'Simple RAG', dateRange: { $gte: 'yesterday-ish' } }, {}, 400, 'VALIDATION_ERROR', /^dateRange\.\$gte: expected an ISO 8601 date, got "yesterday-ish"$/],
    ['an impossible ISO date', 'POST', '/events/export', { project: 'Simple RAG', dateRange: { $lte: '2024-13-45' } }, {}, 400, 'VALIDATION_ERROR', /^dateRange\.\$lte: expected an ISO 8601 date, got "2024-13-45"$/],
    ['a date that only Date.parse reads', 'POST', '/events/export', { project: 'Simple RAG', dateRange: { $gte: 'March 7, 2024' } }, {}, 400, 'VALIDATION_ERROR', /^dateRange\.\$gte: expected an ISO 8601 date, got "March 7, 2024"$/],
    ['a number as a dateRange bound', 'POST', '/events/export', { project: 'Simple RAG', dateRange: { $gte: 1714978764301 } }, {}, 400, 'VALIDATION_ERROR', /^dateRange\.\$gte: expected a string, got number$/],
    ['a number as dateRange', 'POST', '/events/export', { project: 'Simple RAG', dateRange: 5 }, {}, 400, 'VALIDATION_ERROR', /^dateRange: expected an object, got number$/],
    ['a filter value nested 100,000 levels', 'POST', '/events/export', `{"project":"Simple RAG","filters":[{"field":"metadata","operator":"is","value":${deepText(100_000)}}]}`, {}, 400, 'VALIDATION_ERROR', /^\(root\): expected at most 64 levels of nesting$/],
    ['an event nested 100,000 levels', 'POST', '/events', `{"event":{"project":"p","metadata":${deepText(100_000)}}}`, {}, 400, 'VALIDATION_ERROR', /^\(root\): expected at most 64 levels of nesting$/],
    ['100,000 brackets never closed', 'POST', '/events/batch', `{"events":${'['.repeat(100_000)}`, {}, 400, 'VALIDATION_ERROR', /^\(root\): expected at most 64 levels of nesting$/],
    ['a filter value nested 100 levels', 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'metadata', operator: 'is', value: deep(100) }] }, {}, 400, 'VALIDATION_ERROR', /^filters\[0\]\.value(\.d)+: expected at most 64 levels of nesting$/],
    ['session_properties nested 100 levels', 'POST', '/events/batch', { events: [], session_properties: deep(100) }, {}, 400, 'VALIDATION_ERROR', /^session_properties(\.d)+: expected at most 64 levels of nesting$/],
    ['an export from another origin', 'POST', '/events/export', { project: 'Simple RAG' }, { Origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED', /^Origin https:\/\/evil\.example may not use the collector: add it to allowedOrigins/],
    ['a write from another origin', 'POST', '/events', { event: event() }, { Origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED', /Origin https:\/\/evil\.example/],
    ['a preflight from another origin', 'OPTIONS', '/events', undefined, { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }, 403, 'ORIGIN_NOT_ALLOWED', /Origin https:\/\/evil\.example/],
    ['a sandboxed page (Origin null)', 'POST', '/events', { event: event() }, { Origin: 'null' }, 403, 'ORIGIN_NOT_ALLOWED', /^Origin null may not/],
    ['another scheme of the same host', 'POST', '/events', { event: event() }, { Origin: 'https://127.0.0.1' }, 403, 'ORIGIN_NOT_ALLOWED', /Origin https:\/\/127\.0\.0\.1/],
    ['a WebDAV method', 'PROPFIND', '/events', undefined, {}, 405, 'METHOD_NOT_ALLOWED', /^PROPFIND is not allowed on \/events$/],
    ['DELETE on no route', 'DELETE', '/nowhere', undefined, {}, 405, 'METHOD_NOT_ALLOWED', /^DELETE is not allowed on \/nowhere$/],
  ]
  test.each(refused)('refuses %s', async (_name, method, path, body, headers, status, errorCode, message) => {
    const before = await stored()
    const answer = await call(at(path), method, body, headers)
    expectFailure(answer, status, errorCode, message)
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    await stillServes(before)
  })

  test('refuses a wrong key without quoting either key', async () => {
    const before = await stored()
    const answer = await call(at('/events'), 'POST', { event: event() }, {}, `not-${KEY}`)
    expectFailure(answer, 401, 'UNAUTHORIZED', /^Missing or invalid API key/)
    await stillServes(before)
  })

  // [name, request (for host:port and the collector's base path), status, errorCode, message]
  const rawCases: [string, (host: string, base: string) => string, number, string, RegExp?][] = [
    ['TRACE', (h, b) => `TRACE ${b}/events HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 405, 'METHOD_NOT_ALLOWED', /TRACE is not allowed on \/events/],
    ['CONNECT', () => 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n', 405, 'METHOD_NOT_ALLOWED', /CONNECT is not allowed/],
    ['a method Node cannot parse', (h, b) => `BREW ${b}/events HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 405, 'METHOD_NOT_ALLOWED'],
    ['an absolute-form target', (h, b) => `GET http://evil.example${b}/stats HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${KEY}\r\n\r\n`, 400, 'BAD_REQUEST', /^request target: expected a path such as \/events, got "http:\/\/evil\.example/],
    ['the asterisk target', (h) => `OPTIONS * HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 400, 'BAD_REQUEST', /request target: expected a path/],
    ['a space in the path', (h) => `GET //a b HTTP/1.1\r\nHost: ${h}\r\n\r\n`, 400, 'BAD_REQUEST', /not valid HTTP\/1\.1/],
    ['a Host with a space', (_h, b) => `GET ${b}/stats HTTP/1.1\r\nHost: a b\r\nAuthorization: Bearer ${KEY}\r\n\r\n`, 403, 'HOST_NOT_ALLOWED', /^Host "a b" is not this machine's: add its name to allowedHosts/],
    ['DNS rebinding (a foreign Host and its own Origin)', (_h, b) => `POST ${b}/events/export HTTP/1.1\r\nHost: evil.example:8787\r\nOrigin: http://evil.example:8787\r\nSec-Fetch-Site: same-origin\r\nContent-Length: 2\r\n\r\n{}`, 403, 'HOST_NOT_ALLOWED', /Host "evil\.example:8787"/],
    ['a loopback Host with a port out of range', (_h, b) => `GET ${b}/stats HTTP/1.1\r\nHost: localhost:99999\r\n\r\n`, 403, 'HOST_NOT_ALLOWED'],
    ['a malformed chunk', (h, b) => `POST ${b}/events HTTP/1.1\r\nHost: ${h}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'BAD_REQUEST'],
    ['Content-Length and Transfer-Encoding both (smuggling)', (h, b) => `POST ${b}/events HTTP/1.1\r\nHost: ${h}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'BAD_REQUEST'],
    ['32 KiB of headers', (h, b) => `GET ${b}/stats HTTP/1.1\r\nHost: ${h}\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
  ]
  test.each(rawCases)('answers %s with JSON, in time', async (_name, request, status, errorCode, message) => {
    const before = await stored()
    expectFailure(await rawCall(server.url, request(host(), target.base)), status, errorCode, message)
    await stillServes(before)
  })

  test('answers loopback Host names and allowedHosts, whatever the port', async () => {
    for (const name of ['localhost', 'localhost:1', 'app.localhost:8787', '127.0.0.1', '127.1.2.3:80', '[::1]:8787', 'collector.test:9', 'COLLECTOR.TEST']) {
      const answer = await rawCall(server.url, `GET ${target.base}/stats HTTP/1.1\r\nHost: ${name}\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\n\r\n`)
      expect(answer.status, name).toBe(200)
    }
  })

  test('same origin passes: by Origin matching the Host, or by Sec-Fetch-Site', async () => {
    const before = await stored()
    const own = await call(at('/events'), 'POST', { event: event() }, { Origin: server.url })
    expect(own.status).toBe(200)
    const fetched = await call(at('/events'), 'POST', { event: event() }, { Origin: 'http://localhost:9', 'Sec-Fetch-Site': 'same-origin' })
    expect(fetched.status).toBe(200)
    expect(await stored()).toBe(before + 2)
  })

  test('an allowed origin gets its own origin back, and its preflight answered', async () => {
    const preflight = await call(at('/events/export'), 'OPTIONS', undefined, { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    expect(preflight.headers.get('vary')).toMatch(/Origin/)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, OPTIONS')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type')
    const exported = await call(at('/events/export'), 'POST', { project: 'Simple RAG', limit: 1 }, { Origin: ALLOWED })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    const none = await call(at('/stats'), 'GET')
    expect(none.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('projections copy own fields only, never __proto__ or constructor', async () => {
    const sent = event()
    await call(at('/events'), 'POST', { event: sent })
    const projections = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'inputs']
    const out = await call(at('/events/export'), 'POST', { project: 'Simple RAG', projections, filters: [{ field: 'event_id', operator: 'is', value: sent.event_id }] })
    expect(out.status).toBe(200)
    expect(out.text).not.toMatch(/__proto__|constructor|toString/)
    expect(out.json.events).toEqual([{ event_id: sent.event_id, inputs: sent.inputs }])
    const field = await call(at('/events/export'), 'POST', { project: 'Simple RAG', filters: [{ field: '__proto__', operator: 'is not', value: 'x' }, { field: 'constructor.name', operator: 'is', value: 'Object' }] })
    expect(field.json.totalEvents).toBe(0)
  })

  test('ISO dateRange bounds select by start_time', async () => {
    const project = `Dates ${target.name}`
    const t0 = Date.parse('2024-05-06T07:00:00Z')
    const hour = 3_600_000
    const events = [0, 1, 2].map((h) => event({ project, start_time: t0 + h * hour }))
    expect((await call(at('/events/batch'), 'POST', { events })).status).toBe(200)
    const range = async (dateRange: object) => (await call(at('/events/export'), 'POST', { project, dateRange })).json.events.map((e: { start_time: number }) => e.start_time)
    expect(await range({ $gte: '2024-05-06T07:30:00Z', $lte: '2024-05-06T08:30:00.000Z' })).toEqual([t0 + hour])
    expect(await range({ $gte: '2024-05-06T09:00:00+01:00' })).toEqual([t0 + hour, t0 + 2 * hour])
    expect(await range({ $lte: '2024-05-07' })).toHaveLength(3)
  })

  test('a 17 MiB body gets its 413 every time, with a Content-Length or chunked', async () => {
    const big = new Uint8Array(17 * MiB).fill(0x20)
    const expect413 = async (response: Response) => {
      expect(response.status).toBe(413)
      expect(response.headers.get('connection')).toBe('close')
      expect(await response.json()).toEqual({ statusCode: 413, success: false, errorCode: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 16777216 bytes' })
    }
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }
    for (let i = 0; i < 12; i++) await expect413(await fetch(at('/events'), { method: 'POST', headers, body: big }))
    for (let i = 0; i < 12; i++) {
      let sent = 0
      // No Content-Length: a stream of 1 MiB chunks goes out chunked.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= big.length) return controller.close()
          controller.enqueue(big.subarray(sent, (sent += MiB)))
        },
      })
      await expect413(await fetch(at('/events'), { method: 'POST', headers, body, duplex: 'half' } as RequestInit))
    }
    await stillServes(await stored())
  }, 60_000)

  test('a client that leaves in the middle of a body, or after its 413, leaves nothing behind', async () => {
    const before = await stored()
    const head = (length: number) => `POST ${target.base}/events HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: ${length}\r\n\r\n{"event":`
    // Nothing to answer yet: the raw client gives up waiting, and closes.
    expect((await raw(server.url, head(1000), { waitMs: 200 })).status).toBeUndefined()
    // Answered at once, while the server waits to drop the rest; the client goes instead.
    expectFailure(await rawCall(server.url, head(17 * MiB)), 413, 'PAYLOAD_TOO_LARGE')
    await stillServes(before)
  })
})

describe.each(targets)('$name with a 1 s request deadline', (target) => {
  let server: Started
  beforeAll(async () => {
    server = await target.start({ requestTimeoutMs: 1000 })
  })
  afterAll(() => server?.close())

  test.each([
    ['headers that never end', (h: string, b: string) => `GET ${b}/stats HTTP/1.1\r\nHost: ${h}\r\nX-Slow: `],
    ['a body that never ends', (h: string, b: string) => `POST ${b}/events HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 1000\r\n\r\n{"event":"`],
  ])('answers %s with 408 within its deadline', async (_name, request) => {
    // One byte every 100 ms: never idle, never done.
    const answer = await rawCall(server.url, request(new URL(server.url).host, target.base), { trickle: true, waitMs: 5000 })
    expectFailure(answer, 408, 'REQUEST_TIMEOUT', /longer than 1000 ms/)
    expect(answer.ms).toBeLessThan(3000)
    expect((await call(`${server.url}${target.base}/stats`, 'GET')).status).toBe(200)
  })
})

describe('startSite', () => {
  let site: Started
  beforeAll(async () => {
    site = await targets[1]!.start()
  })
  afterAll(() => site?.close())

  test.each([
    ['TRACE on a file', 'TRACE / HTTP/1.1', 405, 'METHOD_NOT_ALLOWED', /^TRACE is not allowed on \/: files answer GET and HEAD$/],
    ['a foreign Host on the proxy route', 'POST /api/pollen HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\n{}', 403, 'HOST_NOT_ALLOWED', /Host "evil\.example"/],
    ['a Host with a space on the proxy route', 'POST /api/pollen HTTP/1.1\r\nHost: a b\r\nContent-Length: 2\r\n\r\n{}', 403, 'HOST_NOT_ALLOWED', /Host "a b"/],
  ])('answers %s with JSON', async (_name, head, status, errorCode, message) => {
    const request = head.includes('Host:') ? head : `${head}\r\nHost: ${new URL(site.url).host}\r\n\r\n`
    expectFailure(await rawCall(site.url, request), status, errorCode, message)
    expect((await fetch(`${site.url}/`)).status).toBe(200)
  })

  test('a malformed percent-encoding in a file path is a 404', async () => {
    expect((await fetch(`${site.url}/%E0%A4%A`)).status).toBe(404)
    expect((await fetch(`${site.url}/`)).status).toBe(200)
  })
})

// Cases the site hands to the proxy's Node adapter (src/proxy/node.ts): the answers are
// the proxy's. Were it to throw, the site would answer 500 JSON rather than crash.
describe('site: proxy route', () => {
  let site: Started
  let open: Started
  beforeAll(async () => {
    site = await targets[1]!.start()
    // Not on loopback, the site checks no Host: a bad one reaches the proxy.
    open = await startSite({ ...common, host: '0.0.0.0', dir, project: 'Simple RAG' })
  })
  afterAll(async () => {
    await site?.close()
    await open?.close()
  })

  test('TRACE /api/pollen gets 405', async () => {
    const answer = await rawCall(site.url, `TRACE /api/pollen HTTP/1.1\r\nHost: ${new URL(site.url).host}\r\n\r\n`)
    expect(answer.status).toBe(405)
    expect(answer.json).toBeTypeOf('object')
  })

  test('a Host with a space on /api/pollen gets 400', async () => {
    const answer = await rawCall(open.url.replace('0.0.0.0', '127.0.0.1'), 'POST /api/pollen HTTP/1.1\r\nHost: a b\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}')
    expect(answer.status).toBe(400)
    expect(answer.json).toBeTypeOf('object')
  })
})

describe('allowedOrigins and mounting', () => {
  test("'*' lets any page in", async () => {
    const open = await startCollector({ port: 0, db: ':memory:', allowedOrigins: '*' })
    try {
      const answer = await call(`${open.url}/stats`, 'GET', undefined, { Origin: 'https://anyone.example' }, '')
      expect(answer.status).toBe(200)
      expect(answer.headers.get('access-control-allow-origin')).toBe('*')
    } finally {
      await open.close()
    }
  })

  test('by default only the same origin: another gets 403 and no CORS header', async () => {
    const closed = await startCollector({ port: 0, db: ':memory:' })
    try {
      const answer = await call(`${closed.url}/events/export`, 'POST', { project: 'Simple RAG' }, { Origin: ALLOWED }, '')
      expectFailure(answer, 403, 'ORIGIN_NOT_ALLOWED', /^Origin http:\/\/localhost:5173 may not use the collector: add it to allowedOrigins \(--allow-origin http:\/\/localhost:5173\)$/)
      expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    } finally {
      await closed.close()
    }
  })

  test('createCollector().handle checks origins but leaves Host to the server it is mounted in', async () => {
    const collector = createCollector({ db: ':memory:' })
    const server = createServer(collector.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      expect((await rawCall(url, 'GET /stats HTTP/1.1\r\nHost: dev.example\r\nConnection: close\r\n\r\n')).status).toBe(200)
      expect((await call(`${url}/stats`, 'GET', undefined, { Origin: 'https://evil.example' }, '')).status).toBe(403)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      collector.close()
    }
  })
})
