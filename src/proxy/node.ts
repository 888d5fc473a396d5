import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ProxyContext } from './options.js'

type Handler = (request: Request, context?: ProxyContext) => Promise<Response>

/**
 * Adapts a web-standard handler to node:http, Express and Connect (the Vite
 * dev server): `app.use('/api/pollen', toNodeListener(handler))`.
 */
export function toNodeListener(handler: Handler) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void => {
    const url = new URL(req.originalUrl ?? req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? streamOf(req) : undefined,
      // Node's fetch needs this to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit)
    handler(request, { clientAddress: req.socket.remoteAddress }).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
        res.end(Buffer.from(await response.arrayBuffer()))
        // If the handler stopped reading (413), do not keep draining the upload.
        if (!req.complete) req.destroy()
      },
      () => {
        res.writeHead(500, { 'Content-Type': 'application/json' })
        res.end('{"error":{"code":"internal","message":"The Pollen proxy failed"}}')
      },
    )
  }
}

/**
 * The request body as a web stream, pulled on demand so that a handler that
 * stops reading (413) leaves the rest unread. Written by hand rather than with
 * node:stream's Readable.toWeb so that this module imports nothing at run time
 * and the proxy entry loads in Workers and Deno too.
 */
function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Uint8Array) => {
        controller.enqueue(new Uint8Array(chunk))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.on('end', () => controller.close())
      req.on('error', (error) => controller.error(error))
    },
    pull() {
      req.resume()
    },
    cancel() {
      // Stop reading; the listener closes the connection once the answer is written.
      req.pause()
    },
  })
}
