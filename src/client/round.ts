import { splitUpdates } from '../honeyhive/index.js'
import type { QueueItem } from '../queue/index.js'
import { bodyBytesFor, chunkByBytes, mergeOutcome, outcomeOf, sendBatch, type Outcome, type Target } from '../transport/index.js'

/** A round reads up to this many batches when a backlog has built up. */
export const ROUND_BATCHES = 20
/** Requests of one round in flight at once (browsers allow 6 per host over HTTP/1.1). */
const ROUND_PARALLEL = 4

/**
 * Sends what one round read. Up to `batchSize` items (under the target's body
 * size, see bodyBytesFor) go in one request. More, or larger ones, go in requests of up to that size,
 * ROUND_PARALLEL at a time: creates first (the chunk holding a session start
 * before the others), then updates, which may target those events, in order.
 */
export async function sendRound(target: Target, items: QueueItem[], batchSize: number): Promise<Outcome> {
  const max = bodyBytesFor(target)
  let bytes = 0
  for (const item of items) bytes += item.bytes
  if (items.length <= batchSize && bytes < max) return sendBatch(target, items)
  const outcome = outcomeOf()
  const creates = chunkByBytes(items.filter((item) => item.kind !== 'update'), max)
  const [first] = creates
  if (first?.some((item) => item.kind === 'session')) {
    creates.shift()
    mergeOutcome(outcome, await sendBatch(target, first))
  }
  for (let i = 0; i < creates.length; i += ROUND_PARALLEL) {
    mergeOutcome(outcome, ...(await Promise.all(creates.slice(i, i + ROUND_PARALLEL).map((chunk) => sendBatch(target, chunk)))))
  }
  // Updates may target events of this round; this sender does not tell targets
  // apart, so while any creation waits, every update waits.
  const { ready, held } = splitUpdates(items.filter((item) => item.kind === 'update'), () => outcome.retry.length > 0)
  outcome.retry.push(...held)
  for (const chunk of chunkByBytes(ready, max)) mergeOutcome(outcome, await sendBatch(target, chunk))
  return outcome
}
