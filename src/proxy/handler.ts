import { formatIssues } from '../errors.js'
import { checkShape, ENVELOPE, isObject } from '../check/index.js'
import type { EnvelopeResult, ItemKind } from '../schema/index.js'
import { HONEYHIVE_URL, splitUpdates } from '../honeyhive/index.js'
import { BodyCorrupt, BodyTooLarge, BodyTooSlow, readText } from '../server/body.js'
import { byDeadline } from '../server/deadline.js'
import { admitItems, type AdmitPolicy } from './admit.js'
import { clientKeyOf } from './client-key.js'
import { corsHeaders, originAllowed, preflightHeaders, type OriginPolicy } from './cors.js'
import type { Authorization, ProxyContext, ProxyHandler, ProxyOptions } from './options.js'
import { createForwarding } from './forwarding.js'
import { createMemoryState } from './memory-state.js'
import { createProjectGuard } from './project-guard.js'
import { redact } from './redact.js'
import { createUpstream, type ItemResult } from './upstream.js'

type Json = Record<string, unknown>
/** An entry of the answer's `rejected` list. */
type RejectedEntry = EnvelopeResult['rejected'][number]

/** Seconds a client is told to wait when upstream failed without saying how long. */
const DEFAULT_RETRY_SECONDS = 5
/** How long (ms) a client waits before retrying an update whose event is not found yet. */
const UNSEEN_RETRY_MS = 30_000

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers } })

const problem = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers)

/** What this proxy tells clients it reads, in every answer: the envelope's update sequences, gzip bodies. */
const SUPPORTS = ['seq', 'gzip']

/**
 * The host's facts, when the second argument carries them. Frameworks pass
 * their own things there (Next.js its `{ params }`), which say nothing of the client.
 */
function contextOf(context: unknown): ProxyContext {
  const address = (context as ProxyContext | undefined)?.clientAddress
  return typeof address === 'string' ? { clientAddress: address } : {}
}

/**
 * Creates the endpoint that browsers send Pollen envelopes to. It holds the
 * HoneyHive key, validates every item with Pollen's own schemas, forces the
 * project (and source), keeps updates inside the project, and forwards to
 * HoneyHive, answering per item so that the valid items of a mixed envelope go
 * through. Web-standard `Request`/`Response` only: Next.js, Hono, Workers, Deno
 * and Bun mount it as it is; `toNodeListener` adapts it to node:http, Express
 * and Connect. It never throws, and answers every request by `timeoutMs`.
 *
 * @example
 * // app/api/pollen/route.ts (Next.js)
 * export const POST = createProxyHandler({ apiKey: process.env.HH_API_KEY!, project: 'Simple RAG' })
 */
export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  if (!options || typeof options !== 'object') throw new TypeError('createProxyHandler: expected an options object')
  const keyed = typeof options.apiKey === 'string' && options.apiKey !== ''
  if (!keyed && options.upstream === undefined) throw new TypeError('createProxyHandler: apiKey is required to forward to HoneyHive (e.g. process.env.HH_API_KEY)')
  if (options.apiKey !== undefined && typeof options.apiKey !== 'string') throw new TypeError('createProxyHandler: apiKey: expected a string')
  if (typeof options.project !== 'string' || options.project === '') throw new TypeError('createProxyHandler: project is required')
  const origins: OriginPolicy = {
    allowed: options.allowedOrigins ?? [],
    self: options.origin === undefined ? undefined : [options.origin].flat().map((origin) => new URL(origin).origin),
    trustProxy: options.trustProxy,
  }
  const allowedUpdate = new Set(options.allowedUpdateFields ?? ['feedback', 'user_properties', 'metadata'])
  const maxBody = options.maxBodyBytes ?? 1024 * 1024
  const maxInflated = options.maxInflatedBytes ?? 8 * 1024 * 1024
  const maxItems = options.maxItems ?? 1000
  const timeoutMs = options.timeoutMs ?? 10_000
  const limit = options.rateLimit === false ? undefined : (options.rateLimit ?? { requests: 120, perMs: 60_000 })
  const log = options.log ?? ((line: string) => console.warn(line))
  const upstream = createUpstream({
    base: options.upstream ?? HONEYHIVE_URL,
    apiKey: keyed ? options.apiKey : undefined,
    project: options.project,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    log,
  })
  const forwarding = createForwarding({
    state: options.state ?? createMemoryState(),
    windowMs: options.dedupeWindowMs ?? 86_400_000,
    find: (id, deadline) => upstream.find(id, deadline),
    log,
  })
  const guard = createProjectGuard({
    lookup: (id, deadline) => upstream.find(id, deadline),
    known: forwarding.forwarded,
    found: forwarding.found,
    graceMs: options.updateGraceMs ?? 3_600_000,
  })

  return async function handle(request, context) {
    try {
      return await serve(request, contextOf(context), Date.now() + timeoutMs)
    } catch (error) {
      // A bug must not leak details (or the key): say little, log the rest.
      log(`pollen proxy: internal error: ${redact(String((error as Error)?.message), options.apiKey)}`)
      return problem(500, 'internal', 'The Pollen proxy failed; the client will retry')
    }
  }

  async function serve(request: Request, context: ProxyContext, deadline: number): Promise<Response> {
    const url = new URL(request.url)
    if (options.path !== undefined && url.pathname !== options.path) return problem(404, 'not-found', `No Pollen route at ${url.pathname.slice(0, 200)}`)
    if (!originAllowed(request, origins)) {
      return problem(403, 'origin-not-allowed', `Origin ${request.headers.get('origin')?.slice(0, 200)} may not use this endpoint; add it to allowedOrigins`)
    }
    const cors = corsHeaders(request)
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: preflightHeaders(request) })
    if (request.method !== 'POST') return problem(405, 'method-not-allowed', `${request.method.slice(0, 20)} is not allowed; send POST`, { Allow: 'POST, OPTIONS', ...cors })

    const type = (request.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/plain' && type !== 'application/json') {
      return problem(415, 'unsupported-media-type', `Content-Type ${type.slice(0, 100)} is not accepted; send text/plain or application/json`, cors)
    }

    let verified: Json | undefined
    if (options.authorize) {
      const answer = await byDeadline<Authorization, 'late'>(Promise.resolve(options.authorize(request)), deadline, 'late')
      if (answer === 'late') return problem(503, 'authorize-timeout', 'authorize did not answer in time; retry later', { ...cors, 'Retry-After': String(DEFAULT_RETRY_SECONDS) })
      if (!answer) return problem(401, 'unauthorized', 'Not allowed to log events', cors)
      if (typeof answer === 'object' && isObject(answer.user_properties)) verified = answer.user_properties
    }

    const userId = verified?.user_id
    const client = clientKeyOf(request, {
      appKey: options.clientKey?.(request),
      userId: typeof userId === 'string' || typeof userId === 'number' ? String(userId) : undefined,
      socketAddress: context.clientAddress,
      trustProxy: options.trustProxy,
    })
    if (limit) {
      const wait = await forwarding.take(`rate:${client}`, limit)
      if (wait > 0) return problem(429, 'rate-limited', 'Too many requests; retry later', { ...cors, 'Retry-After': String(Math.ceil(wait / 1000)) })
    }

    let text: string
    try {
      text = await readText(request, maxBody, deadline, maxInflated)
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const what = error.limit === maxBody ? 'The body is larger than' : 'The gzip body inflates to more than'
        return problem(413, 'too-large', `${what} ${error.limit} bytes; send smaller batches`, { ...cors, Connection: 'close' })
      }
      if (error instanceof BodyCorrupt) return problem(400, 'corrupt-gzip', error.message, cors)
      if (error instanceof BodyTooSlow) return problem(408, 'body-timeout', `The body did not arrive within ${timeoutMs} ms`, { ...cors, Connection: 'close' })
      return problem(400, 'unreadable', 'The body could not be read', cors)
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return problem(400, 'malformed-json', 'The body is not valid JSON (truncated?)', cors)
    }
    // The shape only: each item gets the JSON rules (depth counted from the item) in admit.
    const shape = checkShape(ENVELOPE, body)
    if (shape.length > 0) return problem(400, 'invalid-envelope', `Invalid envelope: ${formatIssues(shape)}`, cors)
    const envelope = body as { sessions?: Json[]; events?: Json[]; updates?: Json[]; seq?: number[] }
    const count = (envelope.sessions?.length ?? 0) + (envelope.events?.length ?? 0) + (envelope.updates?.length ?? 0)
    if (count > maxItems) return problem(413, 'too-many-items', `The envelope has ${count} items; at most ${maxItems} are taken`, cors)
    if (envelope.seq && envelope.seq.length !== (envelope.updates?.length ?? 0)) {
      return problem(400, 'invalid-envelope', `Invalid envelope: seq: expected one number per update (${envelope.updates?.length ?? 0}), got ${envelope.seq.length}`, cors)
    }

    const accepted: string[] = []
    const kinds: ItemKind[] = []
    const rejected: RejectedEntry[] = []
    const transient: ItemResult[] = []
    const idOf = (kind: ItemKind, item: Json) => String(kind === 'session' ? item.session_id : item.event_id)
    const reject = (kind: ItemKind, item: Json, code: string, message: string) => {
      const id = kind === 'session' ? item.session_id : item.event_id
      rejected.push({ id: typeof id === 'string' ? id : '', kind, code, message })
    }

    const admission: AdmitPolicy = { project: options.project, source: options.source, allowedUpdate, verified }
    /** The update sequences, by admitted update. */
    const sequence = new Map<Json, number>()
    const admit = (kind: ItemKind, items: Json[] | undefined) => {
      const { valid, from, refused } = admitItems(kind, items, admission)
      for (const refusal of refused) reject(kind, refusal.item, refusal.code, refusal.message)
      if (kind === 'update' && envelope.seq) valid.forEach((item, i) => sequence.set(item, envelope.seq![from[i]!]!))
      return valid
    }
    const sessions = admit('session', envelope.sessions)
    const events = admit('event', envelope.events)
    const updates = admit('update', envelope.updates)
    /** Forwards the creations of `kind` that no request forwarded before (see forwarding.ts). */
    const create = (kind: 'session' | 'event', items: Json[], forward: (items: Json[], deadline: number) => Promise<ItemResult[]>) =>
      forwarding.creations(kind, items.map((item) => idOf(kind, item)), (indexes) => forward(indexes.map((i) => items[i]!), deadline), deadline)

    const settle = (kind: ItemKind, items: Json[], results: ItemResult[]) => {
      items.forEach((item, index) => {
        const result = results[index]!
        if (result.status === 'accepted') {
          accepted.push(idOf(kind, item))
          kinds.push(kind)
        } else if (result.status === 'rejected') reject(kind, item, result.code, result.message)
        else transient.push(result)
      })
    }
    settle('session', sessions, await create('session', sessions, upstream.sessions))
    const eventResults = await create('event', events, upstream.events)
    settle('event', events, eventResults)

    // Updates of events that did not get through wait for them; the others must target the project.
    const waiting = new Set(events.filter((_, i) => eventResults[i]!.status === 'transient').map((e) => e.event_id))
    const { ready: free, held } = splitUpdates(updates, (update) => waiting.has(update.event_id))
    transient.push(...held.map((): ItemResult => ({ status: 'transient' })))
    const ready: Json[] = []
    const verdicts = await Promise.all(free.map((update) => byDeadline(guard.check(String(update.event_id), client, deadline), deadline, 'wait' as const)))
    free.forEach((update, i) => {
      const verdict = verdicts[i]
      if (verdict === 'ours') ready.push(update)
      else if (verdict === 'foreign') reject('update', update, 'unknown-event', `event_id: no event or session ${String(update.event_id)} in project ${options.project}`)
      else transient.push({ status: 'transient', retryAfterMs: UNSEEN_RETRY_MS })
    })
    settle('update', ready, await upstream.updates(ready, deadline, (u, send) => forwarding.update(String(u.event_id), sequence.get(u), send, deadline)))

    const answer: EnvelopeResult = { accepted, kinds, rejected, supports: SUPPORTS }
    if (transient.length === 0) return json(200, answer, cors)
    const limited = transient.some((t) => t.status === 'transient' && t.upstreamStatus === 429)
    const waitMs = Math.max(0, ...transient.map((t) => (t.status === 'transient' ? (t.retryAfterMs ?? 0) : 0)))
    const retryAfter = { 'Retry-After': String(waitMs > 0 ? Math.ceil(waitMs / 1000) : DEFAULT_RETRY_SECONDS) }
    if (accepted.length === 0 && rejected.length === 0) {
      return problem(limited ? 429 : 503, limited ? 'upstream-rate-limited' : 'upstream-unavailable', 'HoneyHive is not taking events right now; retry later', { ...cors, ...retryAfter })
    }
    // Partly through: items in neither list are retried by the client after Retry-After.
    return json(200, answer, { ...cors, ...retryAfter })
  }
}
