/**
 * The seed event travels browser → proxy → collector and back out of export
 * unchanged: a real Chromium page, the proxy and the collector mounted in one
 * Vite dev server, as the demo mounts them.
 */
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createCollector, type Collector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import seed from '../fixtures/seed-event.json'
import { launchChromium, openTestPage, until } from '../support/page-server.js'

let server: ViteDevServer
let collector: Collector
let browser: Browser
let base: string

beforeAll(async () => {
  collector = createCollector({ db: ':memory:', apiKey: 'local-key' })
  server = await createServer({
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, hmr: false },
    optimizeDeps: { noDiscovery: true, include: ['zod/mini'] },
    plugins: [
      {
        name: 'pollen:stack',
        configureServer(vite) {
          // The proxy forwards to the collector in this same server, whose port is known once it listens.
          let listener: ReturnType<typeof toNodeListener> | undefined
          vite.middlewares.use('/honeyhive', collector.handle)
          vite.middlewares.use('/api/pollen', (req, res) => {
            const { port } = vite.httpServer!.address() as AddressInfo
            listener ??= toNodeListener(
              createProxyHandler({ apiKey: 'local-key', project: 'Simple RAG', source: 'playground', upstream: `http://127.0.0.1:${port}/honeyhive` }),
            )
            listener(req, res)
          })
        },
      },
    ],
  })
  await server.listen()
  base = `http://127.0.0.1:${(server.httpServer!.address() as AddressInfo).port}`
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  collector?.close()
})

test('the seed event comes back out of export with every field equal', async () => {
  const page = await browser.newPage()
  await openTestPage(page, base)
  const id = await page.evaluate(async (event) => {
    const { createClient } = (window as any).pollen
    const hh = createClient({ project: 'Simple RAG', source: 'playground', endpoint: '/api/pollen', sessionId: event.session_id })
    const id = hh.log(event)
    await hh.flush()
    return id
  }, seed)
  expect(id).toBe(seed.event_id)
  const exported = async () => {
    const response = await fetch(`${base}/honeyhive/events/export`, {
      method: 'POST',
      headers: { Authorization: 'Bearer local-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ project: 'Simple RAG', filters: [{ field: 'event_type', operator: 'is', value: 'model', type: 'string' }] }),
    })
    return (await response.json()) as { events: unknown[]; totalEvents: number }
  }
  await until(async () => (await exported()).totalEvents === 1, 'the seed reaches the collector')
  expect((await exported()).events).toEqual([seed])
  const session = await (await fetch(`${base}/honeyhive/session/${seed.session_id}`, { headers: { Authorization: 'Bearer local-key' } })).json()
  expect(session).toMatchObject({ event_id: seed.session_id, event_type: 'session', project: 'Simple RAG', source: 'playground' })
  await page.close()
})
