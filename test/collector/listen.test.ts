// @vitest-environment node
/** listen(): whatever its listener throws, the client gets a JSON 500 and the server goes on. */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listen, type Listening } from '../../src/collector/listen.js'

let server: Listening
beforeAll(async () => {
  server = await listen(
    (_req, res, path) => {
      if (path === '/throws') throw new Error('sync secret')
      if (path === '/rejects') return Promise.reject(new Error('async secret'))
      res.end('ok')
    },
    { port: 0 },
  )
})
afterAll(() => server.close())

test.each(['/throws', '/rejects'])('a listener that %s answers 500 JSON without its message', async (path) => {
  const response = await fetch(server.url + path)
  expect(response.status).toBe(500)
  const text = await response.text()
  expect(JSON.parse(text)).toEqual({ statusCode: 500, success: false, errorCode: 'INTERNAL', message: `The server failed while answering GET ${path}` })
  expect(text).not.toMatch(/secret/)
  expect(await (await fetch(`${server.url}/`)).text()).toBe('ok')
})
