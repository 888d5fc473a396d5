/**
 * A small recording server for tests and benchmarks: it speaks the proxy
 * envelope (POST /api/pollen) and HoneyHive's direct routes (POST /events/batch,
 * PUT /events, POST /session/start), validates with Pollen's own schemas,
 * stores idempotently by id, and can be scripted to fail.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { check, envelopeSchema, eventSchema, sessionSchema, updateSchema } from '../../src/schema/index.js'

export interface RecordedRequest {
  method: string
  path: string
  /** Bytes on the wire (gzipped, for a gzip body). */
  bytes: number
  /** The body as text (inflated, for a gzip body). */
  body: string
  /** Whether the body came gzipped (known by its first two bytes, as the proxy knows it). */
  gzip: boolean
  headers: Record<string, string | string[] | undefined>
  /** `no-cors` for sendBeacon, `cors` / `same-origin` for fetch. */
  fetchMode?: string
  at: number
}

/** A scripted answer; `reset` destroys the socket instead of answering, `stallMs` delays. */
export interface Fault {
  status?: number
  headers?: Record<string, string>
  body?: string
  reset?: boolean
  stallMs?: number
}

export interface Ingest {
  requests: RecordedRequest[]
  /** Stored events by event_id (first write wins, like an idempotent store). */
  events: Map<string, Record<string, unknown>>
  sessions: Map<string, Record<string, unknown>>
  /** Updates in arrival order. */
  updates: Record<string, unknown>[]
  /** How often each event_id arrived on the wire (>1 means a duplicate delivery). */
  deliveries: Map<string, number>
  /** Answers for the next requests, consumed in order; then normal service. */
  faults: Fault[]
  /** Optional hook deciding a fault per request (after `faults` is empty). */
  faultFor?: (request: RecordedRequest) => Fault | undefined
  apiKey?: string
  /** What the envelope answers say this server reads (`seq`, `gzip`), as the proxy's do; unset, nothing (an older proxy). */
  supports?: string[]
  /** false: a null sink for throughput benches; envelope items are recorded and accepted by id, unchecked. */
  validate?: boolean
  reset(): void
  middleware(req: IncomingMessage, res: ServerResponse, next?: () => void): void
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...cors, ...headers })
  res.end(body === undefined ? '' : JSON.stringify(body))
}

const cors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Allow-Methods': 'POST, PUT, OPTIONS',
}

export function createIngest(options: { apiKey?: string; envelopePath?: string } = {}): Ingest {
  const envelopePath = options.envelopePath ?? '/api/pollen'
  const ingest: Ingest = {
    requests: [],
    events: new Map(),
    sessions: new Map(),
    updates: [],
    deliveries: new Map(),
    faults: [],
    apiKey: options.apiKey,
    reset() {
      ingest.requests.length = 0
      ingest.events.clear()
      ingest.sessions.clear()
      ingest.updates.length = 0
      ingest.deliveries.clear()
      ingest.faults.length = 0
      ingest.faultFor = undefined
    },
    middleware(req, res, next) {
      const path = (req.url ?? '/').split('?')[0]!
      const known = path === envelopePath || path === '/events/batch' || path === '/events' || path === '/session/start'
      if (!known) {
        if (next) next()
        else send(res, 404, { message: 'not found' })
        return
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors)
        res.end()
        return
      }
      void handle(req, res, path)
    },
  }

  const storeEvent = (event: Record<string, unknown>) => {
    const id = event.event_id as string
    ingest.deliveries.set(id, (ingest.deliveries.get(id) ?? 0) + 1)
    if (!ingest.events.has(id)) ingest.events.set(id, event)
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string) {
    const raw = await readBody(req)
    const gzip = raw[0] === 0x1f && raw[1] === 0x8b
    let body: string
    try {
      body = (gzip ? gunzipSync(raw) : raw).toString('utf8')
    } catch {
      send(res, 400, { message: 'corrupt gzip' })
      return
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      bytes: raw.length,
      body,
      gzip,
      headers: req.headers,
      fetchMode: req.headers['sec-fetch-mode'] as string | undefined,
      at: Date.now(),
    }
    ingest.requests.push(request)
    const fault = ingest.faults.shift() ?? ingest.faultFor?.(request)
    if (fault?.stallMs) await new Promise((r) => setTimeout(r, fault.stallMs))
    if (fault?.reset) {
      req.socket.destroy()
      return
    }
    if (fault?.status) {
      res.writeHead(fault.status, { ...cors, ...fault.headers })
      res.end(fault.body ?? '')
      return
    }
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      send(res, 400, { message: 'malformed JSON' })
      return
    }
    if (path === envelopePath) return envelope(res, json)
    if (ingest.apiKey && req.headers.authorization !== `Bearer ${ingest.apiKey}`) {
      send(res, 401, { statusCode: 401, message: 'bad key', success: false })
      return
    }
    const wrapper = json as Record<string, unknown>
    if (path === '/session/start') {
      const issues = check(sessionSchema, wrapper.session)
      if (issues.length > 0) return send(res, 400, { message: JSON.stringify(issues) })
      const session = wrapper.session as Record<string, unknown>
      ingest.sessions.set(session.session_id as string, session)
      return send(res, 200, { session_id: session.session_id })
    }
    if (path === '/events/batch') {
      const events = (wrapper.events ?? []) as Record<string, unknown>[]
      for (const event of events) {
        const issues = check(eventSchema, event)
        if (issues.length > 0) return send(res, 400, { message: JSON.stringify(issues) })
      }
      events.forEach(storeEvent)
      return send(res, 200, { event_ids: events.map((e) => e.event_id), success: true })
    }
    if (req.method === 'PUT' && path === '/events') {
      const issues = check(updateSchema, json)
      if (issues.length > 0) return send(res, 400, { message: JSON.stringify(issues) })
      ingest.updates.push(json as Record<string, unknown>)
      return send(res, 200, undefined)
    }
    send(res, 405, { message: 'method not allowed' })
  }

  function envelope(res: ServerResponse, json: unknown) {
    const shape = ingest.validate === false ? { success: true as const, data: json as Record<string, Record<string, unknown>[] | undefined> } : envelopeSchema.safeParse(json)
    if (!shape.success) return send(res, 400, { message: 'malformed envelope' })
    const accepted: string[] = []
    const rejected: { id: string; kind: string; code: string; message: string }[] = []
    const take = (kind: 'session' | 'event' | 'update', items: Record<string, unknown>[] | undefined) => {
      for (const item of items ?? []) {
        const id = String(kind === 'session' ? item.session_id : item.event_id)
        const schema = kind === 'session' ? sessionSchema : kind === 'event' ? eventSchema : updateSchema
        const issues = ingest.validate === false ? [] : check(schema, item)
        if (issues.length > 0) {
          rejected.push({ id, kind, code: 'invalid', message: JSON.stringify(issues) })
          continue
        }
        if (kind === 'session') ingest.sessions.set(id, item)
        else if (kind === 'event') storeEvent(item)
        else ingest.updates.push(item)
        accepted.push(id)
      }
    }
    take('session', shape.data.sessions)
    take('event', shape.data.events)
    take('update', shape.data.updates)
    send(res, 200, { accepted, rejected, ...(ingest.supports && { supports: ingest.supports }) })
  }

  return ingest
}

/** Starts the ingest on its own HTTP server on 127.0.0.1 (port 0 = any free port). */
export async function startIngestServer(options: { apiKey?: string; port?: number } = {}) {
  const ingest = createIngest(options)
  const server = createServer((req, res) => ingest.middleware(req, res))
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ingest,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
