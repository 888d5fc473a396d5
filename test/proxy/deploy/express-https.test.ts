// @vitest-environment node
/**
 * README, Deploy, "Behind HTTPS": Express on node:https with nothing to
 * configure. The page is https://localhost:PORT; the proxy must see the TLS
 * socket and take https as its own scheme. (It once built an http:// URL and
 * refused every request of an HTTPS page 403.)
 */
import express from 'express'
import { readFileSync } from 'node:fs'
import { createServer, request } from 'node:https'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { startCollector } from '../../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../../src/proxy/index.js'
import { browserEvent, listening, stored } from '../../support/deploy.js'

const tls = (name: string) => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url))
const cert = tls('cert.pem')

let collector: Awaited<ReturnType<typeof startCollector>>
let server: Awaited<ReturnType<typeof listening>>
beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  vi.stubEnv('HH_API_KEY', 'test-key')

  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const app = express()
  app.use('/api/pollen', toNodeListener(pollen))
  server = await listening(createServer({ key: tls('key.pem'), cert }, app).listen(0, '127.0.0.1'))
})
afterAll(async () => {
  vi.unstubAllEnvs()
  await server.close()
  await collector.close()
})

/** A page's POST to https://localhost:PORT/api/pollen, trusting the test certificate (Node's fetch takes no CA). */
function post(origin: string, events: unknown[]) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: server.port,
        path: '/api/pollen',
        method: 'POST',
        ca: cert,
        headers: { Host: `localhost:${server.port}`, 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin },
        signal: AbortSignal.timeout(5000),
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ events }))
  })
}

test('a page on https://localhost:PORT is its own origin: its event is stored', async () => {
  const event = browserEvent()
  const { status, body } = await post(`https://localhost:${server.port}`, [event])
  expect(status).toBe(200)
  expect(body).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored(collector.url, event.event_id)).toHaveLength(1)
})

test('http://localhost:PORT is another origin than the HTTPS server: refused', async () => {
  const { status, body } = await post(`http://localhost:${server.port}`, [browserEvent()])
  expect(status).toBe(403)
  expect(body.error.code).toBe('origin-not-allowed')
})
