import type { QueueItem } from './item.js'

/**
 * The last resort of a page going away: localStorage is synchronous, so it
 * can still be written in `pagehide` when an IndexedDB write can no longer
 * finish (the database is still opening, or Chromium aborts the transaction
 * with the page). The next page of the origin moves spilled items into the
 * queue. Only what IndexedDB does not hold yet is spilled, so a spill is small.
 */
const PREFIX = 'pollen-spill:'

function local(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined // Sandboxed frames and some privacy modes throw on access.
  }
}

/** Writes this page's spill (or removes it when `items` is empty). Never throws. */
export function writeSpill(queue: string, owner: string, items: QueueItem[]): boolean {
  const store = local()
  const key = `${PREFIX}${queue}:${owner}`
  try {
    if (items.length === 0) store?.removeItem(key)
    else store?.setItem(key, JSON.stringify(items))
    return store !== undefined
  } catch {
    return false // Over quota: the beacon and IndexedDB are all there is.
  }
}

/**
 * Takes every spill of `queue` but the caller's own: removes them from
 * localStorage at once, so that two pages opening together do not both take
 * one, and returns the items. A page never takes its own spill: its database
 * may finish opening while it goes away, too late to store anything.
 */
export function takeSpills(queue: string, owner: string): QueueItem[] {
  const store = local()
  if (!store) return []
  const items: QueueItem[] = []
  try {
    const keys: string[] = []
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i)
      if (key?.startsWith(`${PREFIX}${queue}:`) && key !== `${PREFIX}${queue}:${owner}`) keys.push(key)
    }
    for (const key of keys) {
      const text = store.getItem(key)
      store.removeItem(key)
      const parsed: unknown = text ? JSON.parse(text) : []
      if (Array.isArray(parsed)) items.push(...(parsed as QueueItem[]).filter((item) => typeof item?.key === 'string' && typeof item.json === 'string'))
    }
  } catch {
    // A spill that cannot be read is lost either way; do not let it block the queue.
  }
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
