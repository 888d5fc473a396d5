// @vitest-environment node
/** answerEarly lets a client still uploading read its 413. */
import { connect } from 'node:net'
import { expect, test } from 'vitest'
import { answerEarly } from '../../src/collector/answer-early.js'
import { useServeHandler } from '../support/node-server.js'

/** A server whose handler's promise (one per request) the test can await. */
const serve = useServeHandler()

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
