import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
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
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
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
