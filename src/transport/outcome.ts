import type { WireItem } from './wire.js'

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

/** An outcome of the given lists, the others empty; of no items when given none. */
export const outcomeOf = (lists?: Partial<Outcome>): Outcome => ({ delivered: [], rejected: [], retry: [], ...lists })

/** Adds what became of other sends' items to `into`; the longest Retry-After wins. */
export function mergeOutcome(into: Outcome, ...outcomes: Outcome[]): Outcome {
  for (const from of outcomes) {
    into.delivered.push(...from.delivered)
    into.rejected.push(...from.rejected)
    into.retry.push(...from.retry)
    if (from.retryAfterMs !== undefined) into.retryAfterMs = Math.max(into.retryAfterMs ?? 0, from.retryAfterMs)
  }
  return into
}

/** Maps an outcome of folded updates (see `coalesceUpdates`) back onto the queue items they stand for. */
export function expandOutcome(outcome: Outcome, members: ReadonlyMap<string, WireItem[]>): Outcome {
  if (members.size === 0) return outcome
  const expand = (item: WireItem) => members.get(item.key) ?? [item]
  return {
    delivered: outcome.delivered.flatMap(expand),
    retry: outcome.retry.flatMap(expand),
    rejected: outcome.rejected.flatMap((r) => expand(r.item).map((item) => ({ ...r, item }))),
    retryAfterMs: outcome.retryAfterMs,
  }
}
