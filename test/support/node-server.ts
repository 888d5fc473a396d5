import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

/**
 * A node:http server whose handler's promise (one per request) the test can
 * await; `close` ends it and every connection.
 */
export async function serveHandler(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) {
  const settled: Promise<unknown>[] = []
  const server = createServer((req, res) => void settled.push(handle(req, res).catch((error: unknown) => error)))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = () => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, settled, close }
}

/** `serveHandler` for the tests of one file: the server a test started is closed after it. */
export function useServeHandler() {
  let close: (() => Promise<void>) | undefined
  afterEach(() => close?.())
  return async (handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) => {
    const server = await serveHandler(handle)
    close = server.close
    return server
  }
}
