// @vitest-environment node
/**
 * README, Deploy, "Vite's dev server": a plugin mounts the proxy in the dev
 * server's Connect stack, as this repository's demo does (demo/server/plugin.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Plugin, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { startCollector } from '../../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../../src/proxy/index.js'
import { browserEvent, browserPost, stored } from '../../support/deploy.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let server: ViteDevServer
// An empty root: the dev server has nothing of this repository to scan or watch.
const root = mkdtempSync(join(tmpdir(), 'pollen-vite-'))

/** The recipe's plugin; only `upstream` is added, to reach the local collector. */
function pollen(): Plugin {
  return {
    name: 'pollen',
    configureServer(server) {
      const handler = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
      server.middlewares.use('/api/pollen', toNodeListener(handler))
    },
  }
}

beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  vi.stubEnv('HH_API_KEY', 'test-key')
  server = await createServer({ root, configFile: false, server: { port: 0, host: '127.0.0.1' }, plugins: [pollen()], logLevel: 'silent' })
  await server.listen()
})
afterAll(async () => {
  vi.unstubAllEnvs()
  await server?.close()
  await collector.close()
  rmSync(root, { recursive: true, force: true })
})

test('the event a page of the dev server posts to /api/pollen is stored', async () => {
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('The dev server is not listening on a port')
  const origin = `http://127.0.0.1:${address.port}`
  const event = browserEvent()
  const response = await fetch(`${origin}/api/pollen`, browserPost(origin, [event]))
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})
