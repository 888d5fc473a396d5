import { envelopeResultSchema } from '../schema/index.js'
import { coalesceUpdates } from './coalesce.js'
import { isRetryable, parseRetryAfter } from './retry.js'
import { requestsFor, type Target, type WireItem, type WireRequest } from './wire.js'

/** A request that has not answered after this long is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 30_000
/** Direct mode sends updates one request each, this many at a time. */
const UPDATE_CONCURRENCY = 4

/** Why the server refused an item for good. */
export interface Rejection {
  item: WireItem
  /** A short reason: the proxy's code, or `http-<status>`. */
  code: string
  message: string
}

/** What became of each item of a send. */
export interface Outcome {
  delivered: WireItem[]
  rejected: Rejection[]
  retry: WireItem[]
  /** The longest `Retry-After` the server asked for, in ms. */
  retryAfterMs?: number
}

type Fetch = typeof fetch

const empty = (): Outcome => ({ delivered: [], rejected: [], retry: [] })

/** Adds what became of one send's items to another's; the longest Retry-After wins. */
export function mergeOutcome(into: Outcome, from: Outcome): Outcome {
  into.delivered.push(...from.delivered)
  into.rejected.push(...from.rejected)
  into.retry.push(...from.retry)
  if (from.retryAfterMs !== undefined) into.retryAfterMs = Math.max(into.retryAfterMs ?? 0, from.retryAfterMs)
  return into
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text())
  } catch {
    return undefined
  }
}

/** Sends one request; network errors and timeouts come back as `undefined`. */
async function exchange(fetchImpl: Fetch, request: WireRequest): Promise<Response | undefined> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS)
  try {
    return await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      credentials: 'same-origin',
    })
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** Maps the proxy's `{accepted, rejected}` answer onto the items it carried. */
function envelopeOutcome(items: WireItem[], answer: unknown): Outcome {
  const parsed = envelopeResultSchema.safeParse(answer)
  // A 2xx that is not the proxy's answer (an HTML fallback page, say) proves
  // nothing arrived: keep everything for a retry.
  if (!parsed.success) return { ...empty(), retry: items }
  const accepted = new Set(parsed.data.accepted)
  const outcome = empty()
  for (const item of items) {
    const refusal = parsed.data.rejected.find((r) => r.id === item.id && (r.kind === undefined || r.kind === item.kind))
    if (refusal) outcome.rejected.push({ item, code: refusal.code, message: refusal.message })
    else if (accepted.has(item.id)) outcome.delivered.push(item)
    else outcome.retry.push(item)
  }
  return outcome
}

/** HoneyHive's batch answer 500 `{event_ids, errors}` is a partial success. */
function partialOutcome(items: WireItem[], answer: unknown): Outcome | undefined {
  const ids = (answer as { event_ids?: unknown } | undefined)?.event_ids
  if (!Array.isArray(ids)) return undefined
  const done = new Set(ids)
  const outcome = empty()
  for (const item of items) (done.has(item.id) ? outcome.delivered : outcome.retry).push(item)
  return outcome
}

async function sendOne(fetchImpl: Fetch, request: WireRequest, split: (items: WireItem[]) => Promise<Outcome>): Promise<Outcome> {
  const response = await exchange(fetchImpl, request)
  if (!response) return { ...empty(), retry: request.items }
  const { status } = response
  if (status >= 200 && status < 300) {
    if (request.route === 'envelope') {
      // The proxy answers 200 when some items got through; the rest come with a Retry-After.
      const outcome = envelopeOutcome(request.items, await readJson(response))
      if (outcome.retry.length > 0) outcome.retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'))
      return outcome
    }
    return { ...empty(), delivered: request.items }
  }
  if (status === 413) {
    if (request.items.length > 1) return split(request.items)
    const [item] = request.items
    return { ...empty(), rejected: [{ item: item!, code: 'too-large', message: `the server refused a ${item!.bytes}-byte ${item!.kind} as too large (413)` }] }
  }
  if (status === 500 && request.route === 'events') {
    const partial = partialOutcome(request.items, await readJson(response))
    if (partial) return partial
  }
  if (isRetryable(status)) {
    return { ...empty(), retry: request.items, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')) }
  }
  const detail = await response.text().then((text) => text.slice(0, 200)).catch(() => '')
  const message = `${request.method} ${request.url} answered ${status}${detail ? `: ${detail}` : ''}`
  return { ...empty(), rejected: request.items.map((item) => ({ item, code: `http-${status}`, message })) }
}

/**
 * Sends a batch of items to the target and reports what became of each. Never
 * throws: network failures, timeouts, 408, 429 and 5xx come back as `retry`
 * (with the server's Retry-After), other 4xx as `rejected`, and a 413 splits
 * the batch in halves until each half fits or a lone item is refused.
 */
export async function sendBatch(target: Target, items: WireItem[], fetchImpl: Fetch = fetch): Promise<Outcome> {
  const { items: wire, members } = coalesceUpdates(items)
  const split = async (part: WireItem[]): Promise<Outcome> => {
    const half = Math.ceil(part.length / 2)
    const first = await send(part.slice(0, half))
    return mergeOutcome(first, await send(part.slice(half)))
  }
  const send = async (part: WireItem[]): Promise<Outcome> => {
    const requests = requestsFor(target, part)
    const outcome = empty()
    // Requests come in the order they must go: sessions, then events (or the
    // one proxy envelope), then updates, which may target events of this batch.
    for (const request of requests) {
      if (request.route !== 'update') mergeOutcome(outcome, await sendOne(fetchImpl, request, split))
    }
    const updates = requests.filter((request) => request.route === 'update')
    if (outcome.retry.length > 0) {
      // An update must not overtake the creation of its event: hold them all.
      outcome.retry.push(...updates.flatMap((request) => request.items))
      return outcome
    }
    for (let i = 0; i < updates.length; i += UPDATE_CONCURRENCY) {
      const answers = await Promise.all(updates.slice(i, i + UPDATE_CONCURRENCY).map((r) => sendOne(fetchImpl, r, split)))
      for (const answer of answers) mergeOutcome(outcome, answer)
    }
    return outcome
  }
  const outcome = await send(wire)
  if (members.size === 0) return outcome
  // Expand folded updates back into the queue items they stand for.
  const expand = (item: WireItem) => members.get(item.key) ?? [item]
  return {
    delivered: outcome.delivered.flatMap(expand),
    retry: outcome.retry.flatMap(expand),
    rejected: outcome.rejected.flatMap((r) => expand(r.item).map((item) => ({ ...r, item }))),
    retryAfterMs: outcome.retryAfterMs,
  }
}
