import { byKey, type QueueItem } from './item.js'

/**
 * The last resort of a page going away: localStorage is synchronous, so it
 * can still be written in `pagehide` when an IndexedDB write can no longer
 * finish (the database is still opening, or Chromium aborts the transaction
 * with the page). The next page of the origin moves spilled items into the
 * queue. Only what IndexedDB does not hold yet is spilled, so a spill is small.
 *
 * Both functions catch everything: `localStorage` is missing outside pages,
 * and sandboxed frames and some privacy modes throw on access to it.
 */
const PREFIX = 'pollen-spill:'

/** Writes this page's spill (or removes it when `items` is empty). Never throws. */
export function writeSpill(queue: string, owner: string, items: QueueItem[]): boolean {
  const key = `${PREFIX}${queue}:${owner}`
  try {
    if (items.length === 0) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(items))
    return true
  } catch {
    return false // No localStorage, or over quota: the beacon and IndexedDB are all there is.
  }
}

/**
 * Takes every spill of `queue` but the caller's own: removes them from
 * localStorage at once, so that two pages opening together do not both take
 * one, and returns the items. A page never takes its own spill: its database
 * may finish opening while it goes away, too late to store anything. With
 * `owner` empty it takes every spill, which a purge does to delete them.
 */
export function takeSpills(queue: string, owner: string): QueueItem[] {
  const prefix = `${PREFIX}${queue}:`
  const items: QueueItem[] = []
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(prefix) || key === prefix + owner) continue
      const text = localStorage.getItem(key)
      localStorage.removeItem(key)
      const parsed: unknown = text ? JSON.parse(text) : []
      if (Array.isArray(parsed)) items.push(...(parsed as QueueItem[]).filter((item) => typeof item?.key === 'string' && typeof item.json === 'string'))
    }
  } catch {
    // A spill that cannot be read is lost either way; do not let it block the queue.
  }
  return items.sort(byKey)
}
