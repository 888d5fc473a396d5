import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApi, failure, type ApiResponse } from './api.js'
import { BodyTooLarge, readBody } from './body.js'
import { openEventStore, type CollectorCounts } from './db.js'

/** Options of {@link createCollector} and {@link startCollector}. */
export interface CollectorOptions {
  /**
   * SQLite file; created with its folder. `':memory:'` keeps nothing.
   * @default '.pollen/events.db'
   */
  db?: string
  /** When set, every request needs `Authorization: Bearer <apiKey>` (else 401). Without it the collector is open. */
  apiKey?: string
  /**
   * Largest request body accepted; larger ones get 413 without being read.
   * @default 16777216 (16 MiB)
   */
  maxBodyBytes?: number
}

/** A collector that is not listening by itself, for mounting in another server. */
export interface Collector {
  /** A Connect/Express-style handler (`next` is unused: every path is answered). */
  handle(req: IncomingMessage, res: ServerResponse): void
  /** The counters of `GET /stats`. */
  counts(): CollectorCounts
  close(): void
}

// The collector is a local development tool: any page may call it.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
}

function reply(res: ServerResponse, response: ApiResponse) {
  const body = response.body === undefined ? '' : JSON.stringify(response.body)
  res.writeHead(response.status, { ...CORS, ...(body ? { 'Content-Type': 'application/json' } : {}) })
  res.end(body)
}

/**
 * Creates a collector: HoneyHive's Events API on SQLite. Mount `handle` in
 * any Node server (Vite: `server.middlewares.use('/honeyhive', collector.handle)`).
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  const store = openEventStore(options.db ?? '.pollen/events.db')
  const api = createApi(store, options.apiKey)
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024
  return {
    handle(req, res) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS)
        res.end()
        return
      }
      const path = new URL(req.url ?? '/', 'http://collector').pathname.replace(/\/+$/, '') || '/'
      readBody(req, limit).then(
        (body) => {
          try {
            reply(res, api({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body }))
          } catch (error) {
            reply(res, failure(500, 'INTERNAL', `The collector failed: ${(error as Error).message}`))
          }
        },
        (error: unknown) => {
          if (error instanceof BodyTooLarge) {
            res.setHeader('Connection', 'close')
            reply(res, failure(413, 'PAYLOAD_TOO_LARGE', error.message))
            res.on('finish', () => req.destroy())
          } else reply(res, failure(400, 'BAD_REQUEST', 'The body could not be read'))
        },
      )
    },
    counts: () => store.counts(),
    close: () => store.close(),
  }
}

/**
 * Starts a collector on its own HTTP server (port 0 = any free port) and
 * resolves once it listens. `close()` stops accepting, lets requests finish,
 * and closes the database: committed events are on disk (WAL).
 */
export async function startCollector(options: CollectorOptions & { port?: number; host?: string } = {}) {
  const collector = createCollector(options)
  const server = createServer((req, res) => collector.handle(req, res))
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8787, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closing: Promise<void> | undefined
  return {
    url,
    counts: collector.counts,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          collector.close()
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    },
  }
}
