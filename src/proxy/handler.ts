import { formatPath } from '../errors.js'
import { check, checkParsed, envelopeSchema, eventSchema, sessionSchema, updateSchema, type EnvelopeResult, type ItemKind } from '../schema/index.js'
import { corsHeaders, originAllowed, preflightHeaders } from './cors.js'
import { readText, TooLarge } from './body.js'
import type { ProxyContext, ProxyOptions } from './options.js'
import { createRateLimiter } from './rate-limit.js'
import { createUpstream, type ItemResult } from './upstream.js'

type Json = Record<string, unknown>
type Rejection = EnvelopeResult['rejected'][number]

/** Seconds a client is told to wait when upstream failed without saying how long. */
const DEFAULT_RETRY_SECONDS = 5

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers } })

const problem = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers)

/**
 * Creates the endpoint that browsers send Pollen envelopes to. It holds the
 * HoneyHive key, validates every item with Pollen's own schemas, forces the
 * project (and source), and forwards to HoneyHive, answering per item so that
 * the valid items of a mixed envelope go through. Web-standard
 * `Request`/`Response` only: Next.js, Hono, Workers, Deno and Bun mount it as
 * it is; `toNodeListener` adapts it to node:http, Express and Connect.
 *
 * @example
 * // app/api/pollen/route.ts (Next.js)
 * export const POST = createProxyHandler({ apiKey: process.env.HH_API_KEY!, project: 'Simple RAG' })
 */
export function createProxyHandler(options: ProxyOptions): (request: Request, context?: ProxyContext) => Promise<Response> {
  if (!options || typeof options.apiKey !== 'string' || options.apiKey === '') throw new TypeError('createProxyHandler: apiKey is required (e.g. process.env.HH_API_KEY)')
  if (typeof options.project !== 'string' || options.project === '') throw new TypeError('createProxyHandler: project is required')
  const allowedOrigins = options.allowedOrigins ?? []
  const allowedUpdate = new Set(['event_id', ...(options.allowedUpdateFields ?? ['feedback', 'user_properties', 'metadata'])])
  const maxBody = options.maxBodyBytes ?? 1024 * 1024
  const maxItems = options.maxItems ?? 1000
  const limiter = options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? { requests: 120, perMs: 60_000 })
  const log = options.log ?? ((line: string) => console.warn(line))
  const upstream = createUpstream({
    base: options.upstream ?? 'https://api.honeyhive.ai',
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    log,
  })

  return async function handle(request, context = {}) {
    try {
      return await serve(request, context)
    } catch (error) {
      // A bug must not leak details (or the key): say little, log the rest.
      log(`pollen proxy: internal error: ${(error as Error).message?.replaceAll(options.apiKey, '[key]')}`)
      return problem(500, 'internal', 'The Pollen proxy failed; the client will retry')
    }
  }

  async function serve(request: Request, context: ProxyContext): Promise<Response> {
    const url = new URL(request.url)
    if (options.path !== undefined && url.pathname !== options.path) return problem(404, 'not-found', `No Pollen route at ${url.pathname}`)
    if (!originAllowed(request, allowedOrigins)) {
      return problem(403, 'origin-not-allowed', `Origin ${request.headers.get('origin')} may not use this endpoint; add it to allowedOrigins`)
    }
    const cors = corsHeaders(request)
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: preflightHeaders(request) })
    if (request.method !== 'POST') return problem(405, 'method-not-allowed', `${request.method} is not allowed; send POST`, { Allow: 'POST, OPTIONS', ...cors })

    const type = (request.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/plain' && type !== 'application/json') {
      return problem(415, 'unsupported-media-type', `Content-Type ${type} is not accepted; send text/plain or application/json`, cors)
    }

    let verified: Json | undefined
    if (options.authorize) {
      const answer = await options.authorize(request)
      if (!answer) return problem(401, 'unauthorized', 'Not allowed to log events', cors)
      if (typeof answer === 'object' && answer.user_properties) verified = answer.user_properties
    }

    let text: string
    try {
      text = await readText(request, maxBody)
    } catch (error) {
      if (error instanceof TooLarge) return problem(413, 'too-large', `The body is larger than ${maxBody} bytes; send smaller batches`, { ...cors, Connection: 'close' })
      return problem(400, 'unreadable', 'The body could not be read', cors)
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return problem(400, 'malformed-json', 'The body is not valid JSON (truncated?)', cors)
    }
    const shape = check(envelopeSchema, body)
    if (shape.length > 0) {
      const list = shape.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ')
      return problem(400, 'invalid-envelope', `Invalid envelope: ${list}`, cors)
    }
    const envelope = body as { sessions?: Json[]; events?: Json[]; updates?: Json[] }
    const count = (envelope.sessions?.length ?? 0) + (envelope.events?.length ?? 0) + (envelope.updates?.length ?? 0)
    if (count > maxItems) return problem(413, 'too-many-items', `The envelope has ${count} items; at most ${maxItems} are taken`, cors)

    if (limiter) {
      const session = envelope.sessions?.[0]?.session_id ?? envelope.events?.[0]?.session_id ?? '-'
      const wait = limiter.take(`${context.clientAddress ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '-'}|${String(session)}`)
      if (wait > 0) return problem(429, 'rate-limited', 'Too many requests; retry later', { ...cors, 'Retry-After': String(Math.ceil(wait / 1000)) })
    }

    const accepted: string[] = []
    const rejected: Rejection[] = []
    const reject = (kind: ItemKind, item: Json, code: string, message: string) => {
      const id = kind === 'session' ? item.session_id : item.event_id
      rejected.push({ id: typeof id === 'string' ? id : '', kind, code, message })
    }
    /** Forces the project (and source) and vouches for the user, then validates. */
    const admit = (kind: ItemKind, items: Json[] | undefined, schema: typeof eventSchema | typeof sessionSchema | typeof updateSchema) => {
      const valid: Json[] = []
      for (const raw of items ?? []) {
        const item: Json = { ...raw }
        if (kind !== 'update') {
          item.project = options.project
          if (options.source !== undefined) item.source = options.source
        }
        if (kind === 'update') {
          const forbidden = Object.keys(item).filter((field) => !allowedUpdate.has(field))
          if (forbidden.length > 0) {
            reject(kind, item, 'forbidden-field', `Browsers may not update ${forbidden.map((f) => `"${f}"`).join(', ')}`)
            continue
          }
        }
        if (verified && (kind !== 'update' || item.feedback !== undefined || item.user_properties !== undefined)) {
          item.user_properties = { ...(item.user_properties as Json | undefined), ...verified }
        }
        const issues = checkParsed(schema, item)
        if (issues.length > 0) reject(kind, item, 'invalid', issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '))
        else valid.push(item)
      }
      return valid
    }
    const sessions = admit('session', envelope.sessions, sessionSchema)
    const events = admit('event', envelope.events, eventSchema)
    const updates = admit('update', envelope.updates, updateSchema)

    const transient: ItemResult[] = []
    const settle = (kind: ItemKind, items: Json[], results: ItemResult[]) => {
      items.forEach((item, index) => {
        const result = results[index]!
        if (result.status === 'accepted') accepted.push(String(kind === 'session' ? item.session_id : item.event_id))
        else if (result.status === 'rejected') reject(kind, item, result.code, result.message)
        else transient.push(result)
      })
    }
    settle('session', sessions, await upstream.sessions(sessions))
    const eventResults = await upstream.events(events)
    settle('event', events, eventResults)
    // An update must not overtake its event: hold updates of events that did not get through.
    const waiting = new Set(events.filter((_, i) => eventResults[i]!.status === 'transient').map((e) => e.event_id))
    const ready = updates.filter((u) => !waiting.has(u.event_id))
    for (let i = 0; i < updates.length - ready.length; i++) transient.push({ status: 'transient' })
    settle('update', ready, await upstream.updates(ready))

    if (transient.length === 0) return json(200, { accepted, rejected } satisfies EnvelopeResult, cors)
    const limited = transient.some((t) => t.status === 'transient' && t.upstreamStatus === 429)
    const waitMs = Math.max(0, ...transient.map((t) => (t.status === 'transient' ? (t.retryAfterMs ?? 0) : 0)))
    const retryAfter = { 'Retry-After': String(waitMs > 0 ? Math.ceil(waitMs / 1000) : DEFAULT_RETRY_SECONDS) }
    if (accepted.length === 0 && rejected.length === 0) {
      return problem(limited ? 429 : 503, limited ? 'upstream-rate-limited' : 'upstream-unavailable', 'HoneyHive is not taking events right now; retry later', { ...cors, ...retryAfter })
    }
    // Partly through: items in neither list are retried by the client after Retry-After.
    return json(200, { accepted, rejected } satisfies EnvelopeResult, { ...cors, ...retryAfter })
  }
}
