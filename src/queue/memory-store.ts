import type { Store } from './contract.js'
import { byKey, bytesOf, type QueueItem } from './item.js'

/** A store for this page only: used when asked for, or when IndexedDB fails. */
export function createMemoryStore(initial: Iterable<QueueItem> = []): Store {
  // Seeded from the page's mirror, a store may be handed an item it holds:
  // setting a key the map holds keeps the item in its place.
  const items = new Map([...initial].sort(byKey).map((item) => [item.key, item]))
  const meta = new Map<string, unknown>()

  return {
    kind: 'memory',
    async append(added, maxBytes, keep) {
      for (const item of added) items.set(item.key, item)
      let bytes = bytesOf(items.values())
      const evicted: QueueItem[] = []
      for (const item of items.values()) {
        if (bytes <= maxBytes) break
        if (item.kind !== 'event' || keep?.has(item.key)) continue
        items.delete(item.key)
        bytes -= item.bytes
        evicted.push(item)
      }
      return evicted
    },
    async read(limit) {
      return [...items.values()].slice(0, limit)
    },
    async remove(removed) {
      for (const { key } of removed) items.delete(key)
    },
    async clear(keys) {
      if (!keys) meta.clear()
      for (const key of keys ?? [...items.keys()]) items.delete(key)
    },
    async has(key) {
      return items.has(key)
    },
    async getMeta<T>(name: string) {
      return meta.get(name) as T | undefined
    },
    async setMeta(name, value) {
      if (value === undefined) meta.delete(name)
      else meta.set(name, value)
    },
    async claimLease() {
      return true
    },
    async releaseLease() {},
    close() {},
  }
}
