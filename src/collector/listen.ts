import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { failure } from './api.js'
import { hostAllowed, isLoopbackAddress } from './host.js'
import { rawFailure, reply } from './reply.js'

/** Options of the collector's own servers ({@link startCollector}, and `startSite` of the CLI). */
export interface ListenOptions {
  /** Port to listen on; 0 picks a free one. @default 8787 */
  port?: number
  /** Address to listen on. @default '127.0.0.1' */
  host?: string
  /**
   * Host names besides loopback ones (`localhost`, `*.localhost`, `127.0.0.1`,
   * `[::1]`) that the server answers while it listens on a loopback address;
   * others get 403 `HOST_NOT_ALLOWED`, against DNS rebinding. Without port; a
   * leading dot allows subdomains too (`.example.test`). Not checked when
   * `host` is not loopback (e.g. `0.0.0.0`).
   * @default []
   * @example ['collector.test']
   */
  allowedHosts?: string[]
  /**
   * A request whose headers and body take longer is answered 408 and its
   * connection closed: a body that never ends cannot hold a connection.
   * @default 60000
   */
  requestTimeoutMs?: number
}

/** A server started by {@link listen}. */
export interface Listening {
  url: string
  /** Stops accepting, lets requests finish; resolves once closed. */
  close(): Promise<void>
}

type Listener = (req: IncomingMessage, res: ServerResponse, path: string) => void | Promise<void>

/** The path of an origin-form request target (`/events?x` → `/events`); undefined for any other form. */
export function pathOf(target: string | undefined): string | undefined {
  // Absolute-form (`http://evil.example/events`) would carry a second authority
  // beside Host, and `*` is for OPTIONS of a whole server: neither is ours.
  if (!target?.startsWith('/')) return undefined
  return target.split('?')[0]!
}

/** Node's parse and timeout errors (llhttp's `HPE_*` codes) as the answers they deserve. */
function clientErrorAnswer(code: string | undefined, timeoutMs: number): string {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return rawFailure(408, 'REQUEST_TIMEOUT', `The request took longer than ${timeoutMs} ms`)
  if (code === 'HPE_HEADER_OVERFLOW') return rawFailure(431, 'HEADERS_TOO_LARGE', 'The request headers are too large')
  if (code === 'HPE_INVALID_METHOD') return rawFailure(405, 'METHOD_NOT_ALLOWED', 'The method is not allowed: send GET, POST, PUT or OPTIONS')
  return rawFailure(400, 'BAD_REQUEST', `The request is not valid HTTP/1.1 (${code ?? 'parse error'})`)
}

/**
 * Serves `listener` on a node:http server of its own, with what every server
 * of the collector needs before and around it: a request target that is a
 * path, a loopback Host when listening on loopback (see {@link hostAllowed}),
 * a JSON 500 for anything the listener throws, JSON answers for requests Node
 * cannot parse, CONNECT refused, and a deadline per request.
 */
export async function listen(listener: Listener, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1'
  const timeoutMs = options.requestTimeoutMs ?? 60_000
  const checkHost = isLoopbackAddress(host)
  // The answer in progress on each connection: a parse error or timeout may
  // come after it started, and must not write a second one into it.
  const answering = new WeakMap<Socket, ServerResponse>()

  const server = createServer(
    {
      requestTimeout: timeoutMs,
      headersTimeout: Math.min(timeoutMs, 60_000),
      // Node checks the deadlines every 30 s by default: a 1 s deadline would fire 30 s late.
      connectionsCheckingInterval: Math.min(5000, Math.max(100, timeoutMs / 4)),
    },
    (req, res) => {
      answering.set(req.socket, res)
      res.once('close', () => answering.get(req.socket) === res && answering.delete(req.socket))
      const path = pathOf(req.url)
      if (path === undefined) {
        const target = JSON.stringify((req.url ?? '').slice(0, 200))
        return reply(res, failure(400, 'BAD_REQUEST', `request target: expected a path such as /events, got ${target}`))
      }
      if (checkHost && !hostAllowed(req.headers.host, options.allowedHosts ?? [])) {
        const message = `Host ${JSON.stringify(req.headers.host)} is not this machine's: add its name to allowedHosts (--allow-host) to serve it`
        return reply(res, failure(403, 'HOST_NOT_ALLOWED', message))
      }
      const fail = () => {
        if (res.headersSent) res.destroy()
        else reply(res, failure(500, 'INTERNAL', `The server failed while answering ${req.method} ${path}`))
      }
      try {
        void Promise.resolve(listener(req, res, path)).catch(fail)
      } catch {
        fail()
      }
    },
  )
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable || answering.get(socket)?.headersSent) return void socket.destroy()
    socket.end(clientErrorAnswer(error.code, timeoutMs))
  })
  // Without a listener Node drops CONNECT connections without a word.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.end(rawFailure(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not allowed: this is not a proxy'))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8787, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      return closing
    },
  }
}
