// @vitest-environment node
/** readBody always settles, and answerEarly lets a client still uploading read its 413. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { answerEarly, BodyAborted, BodyTooLarge, readBody } from '../../src/collector/body.js'
import { raw } from '../support/raw-http.js'

let close: (() => Promise<void>) | undefined
afterEach(() => close?.())

/** A server whose handler's promise (one per request) the test can await. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) {
  const settled: Promise<unknown>[] = []
  const server = createServer((req, res) => void settled.push(handle(req, res).catch((error: unknown) => error)))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  close = () => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(() => resolve()))
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, settled }
}

test('readBody rejects with BodyAborted when the client leaves mid-body', async () => {
  const { url, settled } = await serve((req) => readBody(req, 1000))
  // No answer comes; after 100 ms the client closes.
  expect((await raw(url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"a":', { waitMs: 100 })).status).toBeUndefined()
  await expect.poll(() => settled.length).toBe(1)
  expect(await settled[0]).toBeInstanceOf(BodyAborted)
})

test('readBody refuses past the cap, declared or streamed, and says how much it read', async () => {
  const { url, settled } = await serve((req, res) => readBody(req, 10).finally(() => res.destroy()))
  await fetch(url, { method: 'POST', body: 'x'.repeat(11) }).catch(() => undefined)
  await fetch(url, { method: 'POST', body: new Blob(['x'.repeat(11)]).stream(), duplex: 'half' } as RequestInit).catch(() => undefined)
  await expect.poll(() => settled.length).toBe(2)
  expect(await settled[0]).toMatchObject({ constructor: BodyTooLarge, received: 0 })
  expect(await settled[1]).toMatchObject({ constructor: BodyTooLarge, received: 11 })
})

test('answerEarly drops the rest of the upload within its budget, then closes', async () => {
  const { url } = await serve(async (req, res) => answerEarly(req, res, 413, '{"too":"large"}', {}, { bytes: 1000, ms: 300 }))
  const { port } = new URL(url)
  // The client sends 100 bytes and then nothing, and never closes: the server does, after 300 ms.
  const socket = connect(Number(port), '127.0.0.1')
  const start = Date.now()
  let received = ''
  socket.on('data', (chunk) => (received += chunk))
  socket.on('error', () => undefined)
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100)}`)
  await new Promise((resolve) => socket.once('close', resolve))
  expect(Date.now() - start).toBeGreaterThanOrEqual(250)
  expect(received).toMatch(/^HTTP\/1\.1 413 [^]*Connection: close[^]*\r\n\r\n\{"too":"large"\}$/)
})

test('answerEarly cuts an upload past its byte budget', async () => {
  const { url } = await serve(async (req, res) => answerEarly(req, res, 413, '{}', {}, { bytes: 1000, ms: 60_000 }))
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  socket.on('error', () => undefined)
  let received = ''
  socket.on('data', (chunk) => (received += chunk))
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(2000)}`)
  const start = Date.now()
  await new Promise((resolve) => socket.once('close', resolve))
  expect(Date.now() - start).toBeLessThan(1000)
  expect(received).toMatch(/^HTTP\/1\.1 413 [^]*\r\n\r\n\{\}$/)
})
