import type { ItemKind } from '../schema/index.js'

/**
 * One unit of the durable queue: a session start, an event or an update,
 * already validated and serialised to its wire JSON.
 */
export interface QueueItem {
  /** Sortable key, `<time>.<tab>.<counter>`: oldest first, in a tab's own order. */
  key: string
  kind: ItemKind
  /** `session_id` for sessions, `event_id` for events, the target `event_id` for updates. */
  id: string
  /** The item's wire JSON (a session, event or flat update body). */
  json: string
  /** UTF-8 length of `json`. */
  bytes: number
  /** Key of the stored segment that holds the item; set by `read()` of the IndexedDB store. */
  segment?: string
}

/** Makes keys that sort by time, then tab, then the tab's own order. */
export function createKeyMaker(tab: string): () => string {
  let last = -1
  let counter = 0
  let prefix = ''
  return () => {
    // Date.now() can step back (clock sync); never let a tab's keys go backwards.
    const now = Math.max(Date.now(), last)
    if (now === last) counter++
    else {
      // Made once per millisecond: log() calls share it.
      prefix = `${String(now).padStart(15, '0')}.${tab}.`
      counter = 0
      last = now
    }
    return prefix + String(counter).padStart(6, '0')
  }
}

/** Sorts items oldest first, by key, in the order IndexedDB keeps them (code units, not locale). */
export function byKey(a: QueueItem, b: QueueItem): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/** The bytes of `items`. */
export function bytesOf(items: Iterable<QueueItem>): number {
  let total = 0
  for (const item of items) total += item.bytes
  return total
}
