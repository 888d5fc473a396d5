// @vitest-environment node
import { request } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startProxy } from '../support/servers.js'

let proxy: Awaited<ReturnType<typeof startProxy>>
beforeAll(async () => {
  proxy = await startProxy({ upstream: 'http://127.0.0.1:9', maxBodyBytes: 64 * 1024 })
})
afterAll(() => proxy.close())

test('a chunked upload past the cap is answered 413 without reading it all', async () => {
  const url = new URL(proxy.url)
  const { status, body, sent } = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0
    const req = request({ host: url.hostname, port: url.port, method: 'POST', headers: { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body, sent }))
    })
    req.on('error', reject)
    const chunk = Buffer.alloc(16 * 1024, 'x')
    // Offer 10 MiB; the proxy must answer long before all of it is written.
    const pump = () => {
      while (sent < 10 * 1024 * 1024) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
  expect(status).toBe(413)
  expect(JSON.parse(body).error.code).toBe('too-large')
  expect(sent).toBeLessThan(10 * 1024 * 1024)
})

test.each([
  ['with a Content-Length', true],
  ['chunked', false],
])('a body past the cap %s gets the 413 answer every time, never a reset', async (_name, declared) => {
  const body = Buffer.alloc(1024 * 1024, 'x')
  for (let i = 0; i < 12; i++) {
    const answer = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: declared ? body : new Blob([body]).stream(),
      ...(declared ? {} : { duplex: 'half' }),
    } as RequestInit)
    expect(answer.status).toBe(413)
    expect((await answer.json()).error.code).toBe('too-large')
  }
})
