// @vitest-environment node
/**
 * README, Deploy, "Behind a load balancer": Express on plain HTTP behind a
 * proxy that ends TLS for https://chat.example and says so in X-Forwarded-*.
 * Those headers count only with `trustProxy`; a browser's Sec-Fetch-Site and
 * the `origin` option work without them.
 */
import express from 'express'
import { afterEach, expect, test } from 'vitest'
import { createProxyHandler, toNodeListener, type ProxyOptions } from '../../../src/proxy/index.js'
import { browserEvent, browserPost, listening, stored, useCollector } from '../../support/deploy.js'

const collector = useCollector()
let server: Awaited<ReturnType<typeof listening>> | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The app with the recipe's options; the URL the load balancer forwards to. */
async function start(options: Partial<ProxyOptions>) {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url, ...options })
  const app = express()
  app.use('/api/pollen', toNodeListener(pollen))
  server = await listening(app.listen(0, '127.0.0.1'))
  return `http://127.0.0.1:${server.port}/api/pollen`
}

/** What reaches the app: the page's request, with the load balancer's headers. */
const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'chat.example', 'X-Forwarded-For': '198.51.100.7' }

test('trustProxy: true believes X-Forwarded-Proto and -Host: https://chat.example is the own origin', async () => {
  const url = await start({ trustProxy: true })
  const event = browserEvent()
  const response = await fetch(url, browserPost('https://chat.example', [event], FORWARDED))
  expect(response.status).toBe(200)
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('without trustProxy the forwarded headers are ignored: a request without Sec-Fetch-Site is refused 403', async () => {
  const url = await start({})
  const event = browserEvent()
  const response = await fetch(url, browserPost('https://chat.example', [event], FORWARDED))
  expect(response.status).toBe(403)
  expect((await response.json()).error.code).toBe('origin-not-allowed')
  expect(await stored(collector.url, event.event_id)).toHaveLength(0)
})

test('without trustProxy, what a real browser sends (Sec-Fetch-Site: same-origin) is accepted', async () => {
  const url = await start({})
  const event = browserEvent()
  const response = await fetch(url, browserPost('https://chat.example', [event], { ...FORWARDED, 'Sec-Fetch-Site': 'same-origin' }))
  expect(response.status).toBe(200)
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test("the origin option alone states the app's public origin", async () => {
  const url = await start({ origin: 'https://chat.example' })
  const event = browserEvent()
  const response = await fetch(url, browserPost('https://chat.example', [event], FORWARDED))
  expect(response.status).toBe(200)
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})
