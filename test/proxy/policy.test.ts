// @vitest-environment node
/** CORS, rate limiting, authorize and allowedUpdateFields, over real HTTP into a real collector. */
import { afterEach, expect, test } from 'vitest'
import seed from '../fixtures/seed-event.json'
import { hh, startStack } from '../support/servers.js'

let stack: Awaited<ReturnType<typeof startStack>> | undefined
afterEach(async () => {
  await stack?.close()
  stack = undefined
})

const event = (patch: Record<string, unknown> = {}) => ({ ...seed, event_id: crypto.randomUUID(), ...patch })
const send = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers }, body: JSON.stringify(body) })

test('CORS: answers the preflight of an allowed origin and echoes exactly that origin', async () => {
  stack = await startStack({ allowedOrigins: ['https://app.example'] })
  const preflight = await fetch(stack.proxy.url, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  })
  expect(preflight.status).toBe(204)
  expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example')
  expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/)
  expect(preflight.headers.get('vary')).toBe('Origin')
  const answer = await send(stack.proxy.url, { events: [event()] }, { Origin: 'https://app.example' })
  expect(answer.status).toBe(200)
  expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example')
  const other = await fetch(stack.proxy.url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } })
  expect(other.status).toBe(403)
  expect(other.headers.get('access-control-allow-origin')).toBeNull()
})

test('CORS: by default only the same origin may call', async () => {
  stack = await startStack()
  expect((await send(stack.proxy.url, { events: [event()] }, { Origin: stack.proxy.url })).status).toBe(200)
  expect((await send(stack.proxy.url, { events: [event()] }, { Origin: 'http://localhost:1' })).status).toBe(403)
})

test('rate limit: a token bucket per client address (never a body field), answered 429 with Retry-After', async () => {
  stack = await startStack({ rateLimit: { requests: 3, perMs: 60_000 } })
  // A new session per request changes nothing: the body is not the client's identity.
  const session = () => ({ events: [event({ session_id: crypto.randomUUID() })] })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await send(stack.proxy.url, session())).status)
  expect(statuses).toEqual([200, 200, 200, 429])
  const limited = await send(stack.proxy.url, session())
  expect(limited.headers.get('retry-after')).toBe('20')
  expect((await limited.json()).error.code).toBe('rate-limited')
})

test('authorize: false answers 401; its user_properties override what the browser claimed', async () => {
  stack = await startStack({
    allowedUpdateFields: ['feedback', 'user_properties'],
    authorize: (request) => {
      const cookie = request.headers.get('cookie') ?? ''
      if (!cookie.includes('session=ok')) return false
      return { user_properties: { user_id: 'verified-7', plan: 'pro' } }
    },
  })
  expect((await send(stack.proxy.url, { events: [event()] })).status).toBe(401)
  const claimed = event({ user_properties: { user_id: 'impostor', locale: 'fr' } })
  const answer = await send(stack.proxy.url, { events: [claimed], updates: [{ event_id: claimed.event_id, feedback: { rating: true }, user_properties: { user_id: 'impostor' } }] }, { Cookie: 'session=ok' })
  expect(await answer.json()).toEqual({ accepted: [claimed.event_id, claimed.event_id], kinds: ['event', 'update'], rejected: [], supports: ['seq', 'gzip'] })
  const out = await hh(stack.collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: claimed.event_id }] })
  expect(out.json.events[0].user_properties).toEqual({ user_id: 'verified-7', locale: 'fr', plan: 'pro' })
  expect(out.json.events[0].feedback).toEqual({ rating: true })
})

test('allowedUpdateFields: a browser may rate and annotate an event, not rewrite its outputs or metrics', async () => {
  stack = await startStack()
  const target = event()
  await send(stack.proxy.url, { events: [target] })
  const answer = await send(stack.proxy.url, {
    updates: [
      { event_id: target.event_id, feedback: { rating: false, comment: 'wrong' }, metadata: { edited: true } },
      { event_id: target.event_id, outputs: { content: 'rewritten' } },
      { event_id: target.event_id, metrics: { score: 10 } },
    ],
  })
  const body = await answer.json()
  expect(body.accepted).toEqual([target.event_id])
  expect(body.rejected.map((r: { code: string }) => r.code)).toEqual(['forbidden-field', 'forbidden-field'])
  const out = await hh(stack.collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: target.event_id }] })
  expect(out.json.events[0]).toMatchObject({ outputs: seed.outputs, metrics: seed.metrics, feedback: { rating: false, comment: 'wrong' }, metadata: { ...seed.metadata, edited: true } })
})
