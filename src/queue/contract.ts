import type { QueueItem } from './item.js'

/**
 * What the queue needs from storage. Two implementations: IndexedDB (shared by
 * the tabs of an origin, durable) and memory (this page only).
 */
export interface Store {
  readonly kind: 'indexeddb' | 'memory'
  /**
   * Appends items durably. When the stored total passes `maxBytes`,
   * the oldest events (never sessions or updates, nor the keys in `keep`,
   * which are being sent) are evicted and returned.
   */
  append(items: QueueItem[], maxBytes: number, keep?: ReadonlySet<string>): Promise<QueueItem[]>
  /** Up to `limit` of the oldest items. */
  read(limit: number): Promise<QueueItem[]>
  /** Deletes these items (as returned by `read`); unknown keys are ignored. */
  remove(items: QueueItem[]): Promise<void>
  /** Whether an item of this key is stored (any tab's). */
  has(key: string): Promise<boolean>
  /**
   * Deletes the items of these keys, wherever they are stored; without keys,
   * every item and every shared value but the send lock's lease.
   */
  clear(keys?: Iterable<string>): Promise<void>
  /** A small shared value (retry state), or undefined. */
  getMeta<T>(name: string): Promise<T | undefined>
  /** Sets a shared value; `undefined` deletes it. */
  setMeta(name: string, value: unknown): Promise<void>
  /** Takes the sending lease when it is free or expired; false when another owner holds it. */
  claimLease(owner: string, ttlMs: number): Promise<boolean>
  /** Gives the lease back if `owner` holds it. */
  releaseLease(owner: string): Promise<void>
  close(): void
}
