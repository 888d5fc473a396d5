// @vitest-environment node
/**
 * README, Deploy, "Express" and "Middleware order": a real Express 5 server on
 * plain HTTP, the proxy mounted before the body parsers, and what happens when
 * it is mounted after them.
 */
import express from 'express'
import { afterEach, expect, test } from 'vitest'
import { createProxyHandler, toNodeListener } from '../../../src/proxy/index.js'
import { browserEvent, browserPost, listening, stored, useCollector } from '../../support/deploy.js'

const collector = useCollector()
let server: Awaited<ReturnType<typeof listening>> | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Listens on a free port of 127.0.0.1; the origin a page served by `app` has. */
async function start(app: express.Express) {
  server = await listening(app.listen(0, '127.0.0.1'))
  return `http://127.0.0.1:${server.port}`
}

test('mounted before the body parsers, the proxy stores what the page posts', async () => {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const app = express()
  app.use('/api/pollen', toNodeListener(pollen)) // before express.json() and other body parsers
  app.use(express.json())

  const origin = await start(app)
  const event = browserEvent()
  const response = await fetch(`${origin}/api/pollen`, browserPost(origin, [event]))
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('after express.text(), the proxy uses the text it read', async () => {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const app = express()
  app.use(express.text())
  app.use('/api/pollen', toNodeListener(pollen))

  const origin = await start(app)
  const event = browserEvent()
  const response = await fetch(`${origin}/api/pollen`, browserPost(origin, [event]))
  expect(response.status).toBe(200)
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('after express.json(), the text/plain a page sends still gets through (the parser skips it)', async () => {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const app = express()
  app.use(express.json())
  app.use('/api/pollen', toNodeListener(pollen))

  const origin = await start(app)
  const event = browserEvent()
  const response = await fetch(`${origin}/api/pollen`, browserPost(origin, [event]))
  expect(response.status).toBe(200)
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('after express.json(), an application/json body already parsed is answered 500 body-already-read, not left hanging', async () => {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const app = express()
  app.use(express.json())
  app.use('/api/pollen', toNodeListener(pollen))

  const origin = await start(app)
  const event = browserEvent()
  const response = await fetch(`${origin}/api/pollen`, {
    ...browserPost(origin, [event]),
    headers: { 'Content-Type': 'application/json', Origin: origin },
    signal: AbortSignal.timeout(3000),
  })
  expect(response.status).toBe(500)
  const { error } = await response.json()
  expect(error.code).toBe('body-already-read')
  expect(error.message).toMatch(/mount the proxy before express\.json\(\)/)
  expect(await stored(collector.url, event.event_id)).toHaveLength(0)
})
