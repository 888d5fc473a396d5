/**
 * A static site for the widget tests, served as a user would ship it: the app
 * bundled and minified by Vite (`pollen` and `pollen/widget` resolved to the
 * sources), HTML sent with a strict Content-Security-Policy, the proxy at
 * `/api/pollen` and a collector behind it.
 */
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { startCollector } from '../../src/collector/index.js'
import { bundleApp } from './bundle-app.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixtures = `${root}test/e2e/fixtures/widget/`

/** No inline scripts or styles, no eval: what a careful chat product sends. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"

export async function startWidgetSite() {
  const [app, collector] = await Promise.all([bundleApp(`${fixtures}app.ts`), startCollector({ port: 0, db: ':memory:', apiKey: 'site-key' })])
  const proxy = toNodeListener(createProxyHandler({ apiKey: 'site-key', project: 'Widget test', upstream: collector.url, log: () => undefined }))
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/api/pollen') return proxy(req, res)
    if (path === '/app.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(app)
    const file = /^\/[a-z-]+\.(html|css)$/.exec(path)
    if (!file) return void res.writeHead(404).end()
    try {
      const body = await readFile(fixtures + path.slice(1))
      const type = file[1] === 'html' ? 'text/html; charset=utf-8' : 'text/css'
      res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': STRICT_CSP }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    collector,
    /** The event as the collector stores it (feedback merged in). */
    async event(id: string): Promise<any> {
      const response = await fetch(`${collector.url}/events/export`, {
        method: 'POST',
        headers: { Authorization: 'Bearer site-key', 'Content-Type': 'application/json' },
        body: JSON.stringify({ project: 'Widget test', filters: [{ field: 'event_id', operator: 'is', value: id, type: 'string' }] }),
      })
      return ((await response.json()) as { events: any[] }).events[0]
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await collector.close()
    },
  }
}
