// @vitest-environment node
/** readBody always settles, and refuses a body past its cap. */
import { expect, test } from 'vitest'
import { BodyAborted, BodyTooLarge, readBody } from '../../src/server/body.js'
import { useServeHandler } from '../support/node-server.js'
import { raw } from '../support/raw-http.js'

/** A server whose handler's promise (one per request) the test can await. */
const serve = useServeHandler()

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
