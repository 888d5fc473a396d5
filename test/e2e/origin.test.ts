/**
 * The proxy's origin check in real Chromium: a page on another origin cannot
 * pass for the proxy's own by a request path that looks like an authority
 * (`//evil/api/pollen`, which the proxy once resolved as a URL), while a page
 * of the proxy's own origin is taken.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import seed from '../fixtures/seed-event.json'
import { launchChromium } from '../support/page-server.js'
import { hh } from '../support/servers.js'

const PAGE = '<!doctype html><title>page</title>'

let collector: Awaited<ReturnType<typeof startCollector>>
let app: Server
let evil: Server
let browser: Browser
const urlOf = (server: Server, host: string) => `http://${host}:${(server.address() as AddressInfo).port}`

beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  // The app: its pages at /, the proxy (mounted at no fixed path) under /api/.
  const proxy = toNodeListener(createProxyHandler({ apiKey: 'test-key', project: 'Simple RAG', upstream: collector.url, log: () => undefined }))
  app = createServer((req, res) => (req.url === '/' ? res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE) : proxy(req, res)))
  evil = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE))
  await Promise.all([app, evil].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))))
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await Promise.all([app, evil].map((server) => new Promise((resolve) => server?.close(resolve))))
  await collector?.close()
})

const stored = async (id: string) =>
  (await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: id }] })).json.events.length

/** Posts one event from a page at `pageUrl` to `target`, as the client does (text/plain, no preflight). */
async function postFrom(pageUrl: string, target: string) {
  const page = await browser.newPage()
  try {
    await page.goto(pageUrl)
    const event = { ...seed, event_id: crypto.randomUUID() }
    const outcome = await page.evaluate(
      async ({ target, body }) => {
        try {
          const response = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body })
          return { status: response.status, text: await response.text() }
        } catch (error) {
          return { error: String(error) }
        }
      },
      { target, body: JSON.stringify({ events: [event] }) },
    )
    return { outcome, id: event.event_id }
  } finally {
    await page.close()
  }
}

test('a page of the proxy\'s own origin posts and the event is stored', async () => {
  const { outcome, id } = await postFrom(`${urlOf(app, '127.0.0.1')}/`, '/api/pollen')
  expect(outcome).toMatchObject({ status: 200 })
  expect(await stored(id)).toBe(1)
})

test('a page on another origin, posting to //<its origin>/api/pollen on the proxy, stores nothing and reads nothing', async () => {
  const pageOrigin = urlOf(evil, 'localhost')
  const { outcome, id } = await postFrom(`${pageOrigin}/`, `${urlOf(app, '127.0.0.1')}//${new URL(pageOrigin).host}/api/pollen`)
  // Refused 403 without CORS headers: the browser hands the page a network error.
  expect(outcome).toMatchObject({ error: expect.stringMatching(/TypeError/) })
  expect(await stored(id)).toBe(0)
})
