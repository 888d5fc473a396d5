// @vitest-environment node
/**
 * Gzip bodies at the proxy: known by their first two bytes (no header, so no
 * preflight), inflated under a cap, and every way they can go wrong answered
 * with a clear status, nothing stored, the server still serving. Real HTTP:
 * proxy (toNodeListener) → collector.
 */
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, test } from 'vitest'
import seed from '../fixtures/seed-event.json'
import { hh, startStack } from '../support/servers.js'

let stack: Awaited<ReturnType<typeof startStack>>
beforeAll(async () => {
  stack = await startStack({ rateLimit: false })
})
afterAll(() => stack.close())

const event = () => ({ ...seed, event_id: crypto.randomUUID() })
const stored = async () => (await hh(stack.collector.url, 'GET', '/stats')).json.stored as number

/** Posts bytes as a page would: text/plain, no Content-Encoding. */
async function post(body: Uint8Array | string) {
  const response = await fetch(stack.proxy.url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: body as BodyInit, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : undefined }
}

test('a gzip envelope is inflated and stored, and the answer says the proxy reads gzip', async () => {
  const events = [event(), event()]
  const before = await stored()
  const answer = await post(gzipSync(JSON.stringify({ events })))
  expect(answer.status).toBe(200)
  expect(answer.json).toEqual({ accepted: events.map((e) => e.event_id), kinds: events.map(() => 'event'), rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored()).toBe(before + 2)
})

test('a gzip envelope of 1 MB inflating to 1 GiB is refused 413 within a second and a half, and the proxy still serves', async () => {
  // 64 gzip members of 16 MiB of zeros each: about 1 MB on the wire, 1 GiB inflated.
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024))
  const bomb = Buffer.concat(Array.from({ length: 64 }, () => member))
  expect(bomb.length).toBeLessThan(1024 * 1024)
  const before = await stored()
  const started = Date.now()
  const answer = await post(bomb)
  expect(answer.status).toBe(413)
  expect(answer.json.error.message).toMatch(/gzip body inflates to more than 8388608 bytes/)
  expect(Date.now() - started).toBeLessThan(1500)
  expect(await stored()).toBe(before)
  expect((await post(JSON.stringify({ events: [event()] }))).status).toBe(200)
})

test.each([
  ['truncated gzip', () => gzipSync(JSON.stringify({ events: [event()] })).subarray(0, 30), 400, /corrupt-gzip|could not be inflated/],
  ['the gzip magic and then garbage', () => Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 400, /could not be inflated/],
  ['gzip of text that is not JSON', () => gzipSync('not json at all'), 400, /not valid JSON/],
  ['gzip of a wrong shape', () => gzipSync(JSON.stringify({ events: {} })), 400, /events: expected an array, got object/],
  // Random bytes do not compress: 1.2 MB in, more than that out.
  ['a gzip body over maxBodyBytes', () => gzipSync(randomBytes(1_200_000)), 413, /The body is larger than 1048576 bytes/],
] as const)('%s: refused with a message, nothing stored, still serving', async (_name, make, status, message) => {
  const before = await stored()
  const answer = await post(make())
  expect(answer.status).toBe(status)
  expect(JSON.stringify(answer.json)).toMatch(message)
  expect(await stored()).toBe(before)
  expect((await post(gzipSync(JSON.stringify({ events: [event()] })))).status).toBe(200)
})
