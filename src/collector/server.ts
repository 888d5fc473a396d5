import type { IncomingMessage, ServerResponse } from 'node:http'
import { createApi, failure } from './api.js'
import { BodyAborted, BodyTooLarge, readBody } from '../server/body.js'
import { answerEarly } from './answer-early.js'
import { openEventDb, type CollectorCounts } from './db.js'
import { listen, pathOf, type ListenOptions } from './listen.js'
import { checkOrigin, PREFLIGHT_HEADERS } from './origin.js'
import { reply } from './reply.js'

/** Options of {@link createCollector} and {@link startCollector}. */
export interface CollectorOptions {
  /**
   * SQLite file; created with its folder. `':memory:'` keeps nothing.
   * @default '.pollen/events.db'
   */
  db?: string
  /**
   * When set, every request needs `Authorization: Bearer <apiKey>` (else 401;
   * no answer ever contains the key). Without it the collector is open to
   * whoever can reach it, and {@link allowedOrigins} decides which web pages.
   */
  apiKey?: string
  /**
   * Largest request body accepted; larger ones get 413, and the rest of the
   * upload is read and dropped unkept (up to twice this in all, for at most
   * 5 s) so that the client reads the 413 rather than a connection reset.
   * @default 16777216 (16 MiB)
   */
  maxBodyBytes?: number
  /**
   * Web origins besides the collector's own whose pages may call it (CORS):
   * their exact origin is echoed in `Access-Control-Allow-Origin` and their
   * preflights answered. A request with any other `Origin` gets 403
   * `ORIGIN_NOT_ALLOWED`: the database holds every prompt logged. Same origin
   * (`Sec-Fetch-Site: same-origin`, or `Origin` matching the Host it came in
   * on) and requests without `Origin` (curl, servers) always pass. `'*'`
   * lets any website read and write it.
   * @default [] (same origin only)
   * @example ['http://localhost:5173']
   */
  allowedOrigins?: string[] | '*'
}

/** A collector that is not listening by itself, for mounting in another server. */
export interface Collector {
  /**
   * A Connect/Express-style handler (`next` is unused: every path is
   * answered). Host checks are the mounting server's (Vite has its own).
   */
  handle(req: IncomingMessage, res: ServerResponse): void
  /** The counters of `GET /stats`. */
  counts(): CollectorCounts
  close(): void
}

/** How long a refused upload is read and dropped, at most, before its connection is cut. */
const DRAIN_MS = 5000

/**
 * Creates a collector: HoneyHive's Events API on SQLite. Mount `handle` in
 * any Node server (Vite: `server.middlewares.use('/honeyhive', collector.handle)`).
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  const db = openEventDb(options.db ?? '.pollen/events.db')
  const api = createApi(db, options.apiKey)
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024
  const allowedOrigins = options.allowedOrigins ?? []
  // An error message could quote anything, the key included: it never leaves.
  const redact = (text: string) => (options.apiKey ? text.replaceAll(options.apiKey, '[redacted]') : text)

  return {
    handle(req, res) {
      const origin = checkOrigin(req, allowedOrigins)
      const cors = origin.headers
      if (!origin.allowed) {
        const message = `Origin ${origin.origin} may not use the collector: add it to allowedOrigins (--allow-origin ${origin.origin})`
        return reply(res, failure(403, 'ORIGIN_NOT_ALLOWED', message), cors)
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, ...(req.headers.origin ? PREFLIGHT_HEADERS : {}), Allow: 'GET, POST, PUT, OPTIONS' })
        res.end()
        return
      }
      const target = pathOf(req.url)
      if (target === undefined) return reply(res, failure(400, 'BAD_REQUEST', `request target: expected a path such as /events`), cors)
      const path = target.replace(/\/+$/, '') || '/'
      readBody(req, limit).then(
        (body) => {
          try {
            reply(res, api({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body }), cors)
          } catch (error) {
            reply(res, failure(500, 'INTERNAL', redact(`The collector failed: ${(error as Error).message}`)), cors)
          }
        },
        (error: unknown) => {
          if (error instanceof BodyAborted) return // nobody is left to answer
          if (!(error instanceof BodyTooLarge)) return reply(res, failure(400, 'BAD_REQUEST', 'The body could not be read'), cors)
          const body = JSON.stringify(failure(413, 'PAYLOAD_TOO_LARGE', error.message).body)
          answerEarly(req, res, 413, body, cors, { bytes: 2 * limit - error.received, ms: DRAIN_MS })
        },
      )
    },
    counts: () => db.counts(),
    close: () => db.close(),
  }
}

/**
 * Starts a collector on its own HTTP server (port 0 = any free port) and
 * resolves once it listens. `close()` stops accepting, lets requests finish,
 * and closes the database: committed events are on disk (WAL).
 */
export async function startCollector(options: CollectorOptions & ListenOptions = {}) {
  const collector = createCollector(options)
  const server = await listen((req, res) => collector.handle(req, res), options).catch((error: unknown) => {
    collector.close()
    throw error
  })
  let closing: Promise<void> | undefined
  return {
    url: server.url,
    counts: collector.counts,
    close(): Promise<void> {
      closing ??= server.close().then(() => collector.close())
      return closing
    },
  }
}
