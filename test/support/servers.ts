/** Starts the collector and a proxy in front of it on real HTTP ports, for server tests. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startCollector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener, type ProxyOptions } from '../../src/proxy/index.js'

export async function startProxy(options: Partial<ProxyOptions> & { upstream: string }) {
  const handler = createProxyHandler({ apiKey: 'test-key', project: 'Simple RAG', log: () => undefined, ...options })
  const server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export async function startStack(proxy: Partial<ProxyOptions> = {}) {
  const collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  const front = await startProxy({ upstream: collector.url, ...proxy })
  return {
    collector,
    proxy: front,
    async close() {
      await front.close()
      await collector.close()
    },
  }
}

/** Calls the collector's own API with the key. */
export async function hh(base: string, method: string, path: string, body?: unknown, key = 'test-key') {
  const response = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let json: any
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = text
  }
  return { status: response.status, json, headers: response.headers }
}
