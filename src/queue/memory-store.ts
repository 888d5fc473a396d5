import type { Store } from './contract.js'
import type { QueueItem } from './item.js'

/** A store for this page only: used when asked for, or when IndexedDB fails. */
export function createMemoryStore(initial: Iterable<QueueItem> = []): Store {
  const items = new Map<string, QueueItem>()
  const meta = new Map<string, unknown>()
  let bytes = 0
  const put = (item: QueueItem) => {
    // Seeded from the page's mirror, a store may be handed an item it holds.
    if (items.has(item.key)) return
    items.set(item.key, item)
    bytes += item.bytes
  }
  for (const item of [...initial].sort((a, b) => (a.key < b.key ? -1 : 1))) put(item)

  return {
    kind: 'memory',
    async append(added, maxBytes, keep) {
      for (const item of added) put(item)
      const evicted: QueueItem[] = []
      if (bytes > maxBytes) {
        for (const item of items.values()) {
          if (bytes <= maxBytes) break
          if (item.kind !== 'event' || keep?.has(item.key)) continue
          items.delete(item.key)
          bytes -= item.bytes
          evicted.push(item)
        }
      }
      return evicted
    },
    async read(limit) {
      const out: QueueItem[] = []
      for (const item of items.values()) {
        if (out.length >= limit) break
        out.push(item)
      }
      return out
    },
    async remove(removed) {
      for (const { key } of removed) {
        const item = items.get(key)
        if (!item) continue
        items.delete(key)
        bytes -= item.bytes
      }
    },
    async has(keys) {
      return new Set(keys.filter((key) => items.has(key)))
    },
    async count() {
      return items.size
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
