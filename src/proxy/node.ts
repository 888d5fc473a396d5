import type { IncomingMessage, ServerResponse } from 'node:http'
import { isHost } from './forwarded.js'
import type { ProxyContext, ProxyHandler } from './options.js'

/** A Node request as Express and Connect hand it on: maybe with a parsed body and the path before mounting. */
type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown }

/** Bytes of an unwanted upload still read (and discarded) after answering 413, so the client reads the answer rather than a reset. */
const DRAIN_BYTES = 1024 * 1024
const DRAIN_MS = 2000

/** An answer of the adapter's own, for requests it cannot hand to the handler. */
const problem = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers } })

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
    let answer: Promise<Response>
    try {
      const request = toRequest(req)
      answer = request instanceof Response ? Promise.resolve(request) : handler(request, { clientAddress: req.socket?.remoteAddress } satisfies ProxyContext)
    } catch {
      answer = Promise.resolve(problem(400, 'bad-request', 'The request could not be read'))
    }
    answer
      .catch(() => problem(500, 'internal', 'The Pollen proxy failed; the client will retry'))
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer())
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
        res.end(body)
        if (!req.complete) drain(req)
      })
      .catch(() => res.destroy())
  }
}

/** Methods `Request` refuses to carry (the Fetch standard's forbidden methods). */
const FORBIDDEN = /^(connect|trace|track)$/i
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** The web `Request` of a Node request, or the answer when there cannot be one. */
function toRequest(req: NodeRequest): Request | Response {
  const method = req.method ?? 'GET'
  if (FORBIDDEN.test(method) || !TOKEN.test(method)) return problem(405, 'method-not-allowed', `${method.slice(0, 20)} is not allowed; send POST`, { Allow: 'POST, OPTIONS' })
  const host = req.headers.host ?? `${req.socket?.localAddress ?? 'localhost'}`
  if (!isHost(host)) return problem(400, 'bad-host', 'The Host header is not a host name')
  // A TLS socket (node:https, or http2's compatibility API) makes the URL https: the origin check compares it.
  const url = new URL(`${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http'}://${host}/`)
  const target = req.originalUrl ?? req.url ?? '/'
  // Absolute form (`POST http://evil.example/api/pollen`): only its path is used (one that is no URL throws: 400).
  const { pathname, search } = target.startsWith('/') ? splitTarget(target) : new URL(target)
  // Set as a path, not resolved against the host: `//evil.example/x` stays a path here.
  url.pathname = pathname
  url.search = search

  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (method !== 'GET' && method !== 'HEAD') {
    const body = bodyOf(req)
    if (body === 'parsed') {
      const advice = 'A body parser read the request before the Pollen proxy: mount the proxy before express.json(), express.text() and the like'
      return problem(500, 'body-already-read', advice)
    }
    init.body = body
    // Node's fetch needs this to stream a request body.
    if (body instanceof ReadableStream) init.duplex = 'half'
  }
  return new Request(url, init)
}

/** An origin-form target's path and query. */
function splitTarget(target: string) {
  const query = target.indexOf('?')
  return query === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, query), search: target.slice(query) }
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
