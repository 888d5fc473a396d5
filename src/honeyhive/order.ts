import type { ItemKind } from '../schema/index.js'

/**
 * The order HoneyHive must receive items in: a session before its events, an
 * event before its updates. Requests go out in this order, and a sender stops
 * or holds the rest when an earlier kind did not get through.
 */
export const ITEM_ORDER: readonly ItemKind[] = ['session', 'event', 'update']

/** Updates that may go now, and those that wait for their event's creation. */
export interface UpdateSplit<T> {
  ready: T[]
  held: T[]
}

/**
 * An update must not overtake the creation of its event: it needs the event
 * to exist (`pollen-collector` answers 404; HoneyHive documents nothing), and
 * HoneyHive applies updates as they come, with no version check. Splits
 * `updates` into those that may go and those that wait: `waits(update)` is
 * true when the update's event did not get through, or, for a sender that
 * does not tell targets apart, for every update while any creation waits.
 */
export function splitUpdates<T>(updates: readonly T[], waits: (update: T) => boolean): UpdateSplit<T> {
  const split: UpdateSplit<T> = { ready: [], held: [] }
  for (const update of updates) (waits(update) ? split.held : split.ready).push(update)
  return split
}
