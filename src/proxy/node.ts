import type { IncomingMessage, ServerResponse } from 'node:http'
import { isHost } from './forwarded.js'
import type { ProxyContext, ProxyHandler } from './options.js'

/** A Node request as Express and Connect hand it on: maybe with a parsed body and the path before mounting. */
type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown }

/** Bytes of an unwanted upload still read (and discarded) after answering 413, so the client reads the answer rather than a reset. */
const DRAIN_BYTES = 1024 * 1024
const DRAIN_MS = 2000

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }

const problem = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
  if (res.headersSent) return void res.end()
  res.writeHead(status, { ...JSON_HEADERS, ...headers })
  res.end(JSON.stringify({ error: { code, message } }))
}

/**
 * Adapts a web-standard handler to node:http, Express and Connect (the Vite
 * dev server): `app.use('/api/pollen', toNodeListener(handler))`.
 *
 * The `Request` it builds takes its scheme from the socket (TLS or not) and its
 * host from the `Host` header, never from the request target, so that a path
 * like `//evil.example/api/pollen` cannot pass for another origin. Mount it
 * before any body parser; if one already read the body, a string or Buffer
 * `req.body` is used, and anything else is answered 500 at once (never a hang).
 */
export function toNodeListener(handler: ProxyHandler) {
  return (req: NodeRequest, res: ServerResponse): void => {
    // A client gone before the answer must not become an unhandled 'error'.
    res.on('error', () => undefined)
    let request: Request
    try {
      const built = toRequest(req)
      if ('status' in built) return problem(res, built.status, built.code, built.message, built.headers)
      request = built.request
    } catch {
      return problem(res, 400, 'bad-request', 'The request could not be read')
    }
    handler(request, { clientAddress: req.socket?.remoteAddress } satisfies ProxyContext).then(
      async (response) => {
        const body = Buffer.from(await response.arrayBuffer())
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
        res.end(body)
        if (!req.complete) drain(req)
      },
      () => problem(res, 500, 'internal', 'The Pollen proxy failed; the client will retry'),
    )
  }
}

type Built = { request: Request } | { status: number; code: string; message: string; headers?: Record<string, string> }

/** Methods `Request` refuses to carry (the Fetch standard's forbidden methods). */
const FORBIDDEN = /^(connect|trace|track)$/i
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function toRequest(req: NodeRequest): Built {
  const method = req.method ?? 'GET'
  if (FORBIDDEN.test(method) || !TOKEN.test(method)) {
    return { status: 405, code: 'method-not-allowed', message: `${method.slice(0, 20)} is not allowed; send POST`, headers: { Allow: 'POST, OPTIONS' } }
  }
  const host = req.headers.host ?? `${req.socket?.localAddress ?? 'localhost'}`
  if (!isHost(host)) return { status: 400, code: 'bad-host', message: 'The Host header is not a host name' }
  // A TLS socket (node:https, or http2's compatibility API) makes the URL https: the origin check compares it.
  const url = new URL(`${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http'}://${host}/`)
  const target = req.originalUrl ?? req.url ?? '/'
  if (target.startsWith('/')) {
    const query = target.indexOf('?')
    // Set as a path, not resolved against the host: `//evil.example/x` stays a path here.
    url.pathname = query === -1 ? target : target.slice(0, query)
    if (query !== -1) url.search = target.slice(query)
  } else {
    // Absolute form (`POST http://evil.example/api/pollen`): only its path is used.
    let absolute: URL
    try {
      absolute = new URL(target)
    } catch {
      return { status: 400, code: 'bad-request', message: 'The request target is not a path' }
    }
    url.pathname = absolute.pathname
    url.search = absolute.search
  }

  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    const body = bodyOf(req)
    if (body === 'parsed') {
      return {
        status: 500,
        code: 'body-already-read',
        message: 'A body parser read the request before the Pollen proxy: mount the proxy before express.json(), express.text() and the like',
      }
    }
    init.body = body
    // Node's fetch needs this to stream a request body.
    if (body instanceof ReadableStream) init.duplex = 'half'
  }
  return { request: new Request(url, init) }
}

/** The body: what a body parser left as text or bytes, else the unread stream; 'parsed' when neither is usable. */
function bodyOf(req: NodeRequest): BodyInit | 'parsed' {
  if (typeof req.body === 'string') return req.body
  if (req.body instanceof Uint8Array) return new Uint8Array(req.body)
  // Express 5 leaves `body` undefined unless a parser ran; v4's parsers set {} even when the type did not match.
  const parsed = req.body !== undefined && !(isEmptyObject(req.body) && !req.readableEnded)
  if (parsed || req.readableEnded) return 'parsed'
  return streamOf(req)
}

const isEmptyObject = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0

/**
 * The request body as a web stream, pulled on demand so that a handler that
 * stops reading (413) leaves the rest unread. Written by hand rather than with
 * node:stream's Readable.toWeb so that this module imports nothing at run time
 * and the proxy entry loads in Workers and Deno too.
 */
function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // After cancel() the controller throws on every call; nothing may throw out of these listeners.
      const finish = (act: () => void) => {
        if (done) return
        done = true
        try {
          act()
        } catch {}
      }
      req.on('data', (chunk: Uint8Array) => {
        if (done) return
        try {
          controller.enqueue(new Uint8Array(chunk))
          if ((controller.desiredSize ?? 0) <= 0) req.pause()
        } catch {
          done = true
        }
      })
      req.on('end', () => finish(() => controller.close()))
      req.on('error', (error) => finish(() => controller.error(error)))
      // A client that goes away mid-body never sends 'end': fail the read instead of waiting forever.
      req.on('close', () => finish(() => controller.error(new Error('The client closed the connection before the body ended'))))
    },
    pull() {
      req.resume()
    },
    cancel() {
      // Stop reading; the listener drains a little and closes once the answer is written.
      done = true
      req.pause()
    },
  })
}

/**
 * After an early answer (413), reads and drops a bounded part of the rest of
 * the upload before closing. Closing at once would make the kernel reset a
 * connection the client is still writing to, and a reset can reach the client
 * before the answer does.
 */
function drain(req: IncomingMessage) {
  let seen = 0
  const stop = () => {
    clearTimeout(timer)
    req.destroy()
  }
  const timer = setTimeout(stop, DRAIN_MS)
  req.removeAllListeners('data')
  req.on('data', (chunk: Uint8Array) => {
    seen += chunk.byteLength
    if (seen > DRAIN_BYTES) stop()
  })
  req.on('end', () => clearTimeout(timer))
  req.resume()
}
