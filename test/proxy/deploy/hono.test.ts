// @vitest-environment node
/**
 * README, Deploy, "Hono and Cloudflare Workers": the same app runs in both; on
 * Workers the rate limit is keyed by CF-Connecting-IP, the visitor's address
 * Cloudflare sets.
 */
import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { createProxyHandler, type ProxyOptions } from '../../../src/proxy/index.js'
import { browserEvent, browserPost, stored, useCollector } from '../../support/deploy.js'

const collector = useCollector()

/** The recipe's worker; `upstream` reaches the local collector, and tests may add options. */
function worker(options: Partial<ProxyOptions> = {}) {
  const pollen = createProxyHandler({
    apiKey: process.env.HH_API_KEY,
    project: 'Simple RAG',
    clientKey: (request) => request.headers.get('CF-Connecting-IP') ?? undefined, // Workers: the visitor
    upstream: collector.url,
    ...options,
  })
  const app = new Hono()
  app.on(['POST', 'OPTIONS'], '/api/pollen', (c) => pollen(c.req.raw))
  return app
}

test('the event a page on https://chat.example posts is stored', async () => {
  const app = worker()
  const event = browserEvent()
  const response = await app.request('https://chat.example/api/pollen', browserPost('https://chat.example', [event], { 'CF-Connecting-IP': '203.0.113.1' }))
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('OPTIONS reaches the proxy: the preflight of an allowed origin is answered', async () => {
  const app = worker({ allowedOrigins: ['https://docs.example'] })
  const response = await app.fetch(
    new Request('https://chat.example/api/pollen', { method: 'OPTIONS', headers: { Origin: 'https://docs.example', 'Access-Control-Request-Method': 'POST' } }),
  )
  expect(response.status).toBe(204)
  expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://docs.example')
})

test('each CF-Connecting-IP has its own rate-limit bucket', async () => {
  const app = worker({ rateLimit: { requests: 1, perMs: 60_000 } })
  const from = (ip: string, event: { event_id: string }) =>
    app.request('https://chat.example/api/pollen', browserPost('https://chat.example', [event], { 'CF-Connecting-IP': ip }))
  const [first, again, other] = [browserEvent(), browserEvent(), browserEvent()]

  expect((await from('203.0.113.1', first)).status).toBe(200)
  const limited = await from('203.0.113.1', again)
  expect(limited.status).toBe(429)
  expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/)
  expect((await from('203.0.113.2', other)).status).toBe(200)

  expect(await stored(collector.url, first.event_id)).toHaveLength(1)
  expect(await stored(collector.url, again.event_id)).toHaveLength(0)
  expect(await stored(collector.url, other.event_id)).toHaveLength(1)
})
