import { checkShape, ENVELOPE_RESULT } from '../check/index.js'
import type { EnvelopeResult } from '../schema/index.js'
import { isRetryable, parseRetryAfter, PARTIAL_SUCCESS_STATUS, readPartialSuccess, splitUpdates } from '../honeyhive/index.js'
import { coalesceUpdates } from './coalesce.js'
import { exchange, readJson, type Fetch } from './exchange.js'
import { canGzip, gzip, GZIP_MIN_BYTES, utf8 } from './body.js'
import { nextTask } from '../next-task.js'
import { expandOutcome, mergeOutcome, outcomeOf, type Outcome } from './outcome.js'
import { envelopeRequest, requestsFor, type Target, type WireItem, type WireRequest } from './wire.js'

/** Direct mode sends updates one request each, this many at a time. */
const UPDATE_CONCURRENCY = 4

/**
 * Sorts items by what the server said of them: the refused (by id, and by
 * kind when given) are rejected, the accepted delivered, the rest retried.
 * `accepted` holds ids, or `kind:id` when the answer said the kinds.
 */
function sortByAnswer(items: WireItem[], accepted: ReadonlySet<unknown>, refusals: EnvelopeResult['rejected'] = [], byKind = false): Outcome {
  const outcome = outcomeOf()
  for (const item of items) {
    const refusal = refusals.find((r) => r.id === item.id && (r.kind === undefined || r.kind === item.kind))
    if (refusal) outcome.rejected.push({ item, code: refusal.code, message: refusal.message })
    else (accepted.has(byKind ? `${item.kind}:${item.id}` : item.id) ? outcome.delivered : outcome.retry).push(item)
  }
  return outcome
}

/** Maps the proxy's `{accepted, rejected}` answer onto the items it carried; notes what the proxy reads. */
function envelopeOutcome(target: Target, items: WireItem[], answer: unknown): Outcome {
  // A 2xx that is not the proxy's answer (an HTML fallback page, say) proves
  // nothing arrived: keep everything for a retry.
  if (checkShape(ENVELOPE_RESULT, answer).length > 0) return outcomeOf({ retry: items })
  const { accepted, kinds, rejected, supports } = answer as EnvelopeResult
  if (target.mode === 'proxy') {
    target.seq = supports?.includes('seq')
    target.gzip = supports?.includes('gzip')
  }
  // An event and its update share an id: without the kinds, an accepted event
  // would pass for its update too, and a held update would be lost.
  const byKind = kinds?.length === accepted.length
  return sortByAnswer(items, new Set(byKind ? accepted.map((id, i) => `${kinds[i]}:${id}`) : accepted), rejected, byKind)
}

/** The wait the server asked for, in ms. */
const retryAfter = (response: Response) => parseRetryAfter(response.headers.get('Retry-After'))

async function sendOne(target: Target, fetchImpl: Fetch, request: WireRequest, split: (items: WireItem[]) => Promise<Outcome>): Promise<Outcome> {
  const { items } = request
  // Gzip only for a proxy that said it reads it: an older one would refuse the body.
  const zipped = target.mode === 'proxy' && target.gzip && request.bytes >= GZIP_MIN_BYTES && canGzip()
  // Each body is made in a task of its own, so that the requests of a round
  // do not add up to one long task, and handed to fetch as bytes.
  await nextTask()
  const bytes = utf8(request.body as string)
  const response = await exchange(fetchImpl, { ...request, body: zipped ? await gzip(bytes) : bytes })
  if (!response) return outcomeOf({ retry: items })
  const { status } = response
  // A proxy rolled back to a version that reads neither `seq` nor gzip refuses the envelope: send it plain.
  if (status === 400 && (request.seq || zipped) && target.mode === 'proxy') {
    target.seq = target.gzip = false
    return sendOne(target, fetchImpl, envelopeRequest(target.endpoint, items), split)
  }
  if (status >= 200 && status < 300) {
    if (request.route !== 'envelope') return outcomeOf({ delivered: items })
    // The proxy answers 200 when some items got through; the rest come with a Retry-After.
    const outcome = envelopeOutcome(target, items, await readJson(response))
    if (outcome.retry.length > 0) outcome.retryAfterMs = retryAfter(response)
    return outcome
  }
  if (status === 413) {
    if (items.length > 1) return split(items)
    const [item] = items
    return outcomeOf({ rejected: [{ item: item!, code: 'too-large', message: `the server refused a ${item!.bytes}-byte ${item!.kind} as too large (413)` }] })
  }
  if (status === PARTIAL_SUCCESS_STATUS && request.route === 'events') {
    // HoneyHive's partial success: the ids it lists were created, the rest are retried.
    const partial = readPartialSuccess(await readJson(response))
    if (partial) return sortByAnswer(items, partial.created)
  }
  if (isRetryable(status)) return outcomeOf({ retry: items, retryAfterMs: retryAfter(response) })
  const detail = await response.text().then((text) => text.slice(0, 200)).catch(() => '')
  const message = `${request.method} ${request.url} answered ${status}${detail ? `: ${detail}` : ''}`
  return outcomeOf({ rejected: items.map((item) => ({ item, code: `http-${status}`, message })) })
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
    return mergeOutcome(await send(part.slice(0, half)), await send(part.slice(half)))
  }
  const send = async (part: WireItem[]): Promise<Outcome> => {
    const requests = requestsFor(target, part)
    const outcome = outcomeOf()
    // Requests come in the order they must go: sessions, then events (or the
    // one proxy envelope), then updates, which may target events of this batch.
    for (const request of requests) {
      if (request.route !== 'update') mergeOutcome(outcome, await sendOne(target, fetchImpl, request, split))
    }
    // Updates may target events of this batch; this sender does not tell
    // targets apart, so while any creation waits, every update waits.
    const { ready, held } = splitUpdates(requests.filter((request) => request.route === 'update'), () => outcome.retry.length > 0)
    for (const request of held) outcome.retry.push(...request.items)
    for (let i = 0; i < ready.length; i += UPDATE_CONCURRENCY) {
      mergeOutcome(outcome, ...(await Promise.all(ready.slice(i, i + UPDATE_CONCURRENCY).map((r) => sendOne(target, fetchImpl, r, split)))))
    }
    return outcome
  }
  return expandOutcome(await send(wire), members)
}
