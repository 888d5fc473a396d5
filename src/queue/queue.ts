import type { PollenError } from '../errors.js'
import { nextTask } from '../next-task.js'
import type { Store } from './contract.js'
import type { QueueItem } from './item.js'
import { createSendLock, type LockResult } from './lock.js'
import { createMemoryStore } from './memory-store.js'
import { takeSpills, writeSpill } from './spill.js'
import { openIndexedDbStore, storageError } from './store.js'

/** Bytes of items written to storage in one task (at most: a larger item goes alone). */
const APPEND_BYTES = 256 * 1024

/** Options of {@link createQueue}. */
export interface QueueOptions {
  /** Database and lock name: one queue per endpoint and project. */
  name: string
  /** This page's id, the owner of its lease. */
  owner: string
  storage: 'indexeddb' | 'memory'
  maxQueueBytes: number
  /** Told once when IndexedDB fails and the queue moves to memory. */
  onStorageFault(error: PollenError): void
  /** Told about events evicted to stay under `maxQueueBytes`. */
  onEvicted(items: QueueItem[]): void
}

/**
 * The durable queue: every item is written to storage before it can be sent
 * and deleted only once the server took it. Beside storage, the page keeps a
 * mirror of its own unsent items, because the unload path cannot wait for
 * IndexedDB; the mirror is also what survives a switch to memory.
 */
export interface Queue {
  /** `'indexeddb'` until storage fails or when asked for memory. */
  readonly storage: 'indexeddb' | 'memory'
  /** Accepts an item at once; it is written to storage in the same task's batch. */
  add(item: QueueItem): void
  /** Resolves when every item added so far is in storage. */
  settled(): Promise<void>
  /** Up to `limit` of the oldest stored items, of any tab. */
  read(limit: number): Promise<QueueItem[]>
  /** Deletes delivered or dropped items from storage and from the mirror. */
  remove(items: QueueItem[]): Promise<void>
  /** Whether this page holds the item unsent (synchronous: the mirror only). */
  holds(key: string): boolean
  /** Whether storage holds an item of this key, any tab's. */
  has(key: string): Promise<boolean>
  /** This page's items not yet known to be delivered, oldest first. */
  unsent(): QueueItem[]
  /** How many items `unsent()` would return, without copying them. */
  readonly unsentCount: number
  /**
   * The page is going away: writes what storage does not hold yet to
   * localStorage, synchronously, for the next page of the origin, and returns
   * those items (undefined in memory, where no other tab can read any).
   */
  spill(): QueueItem[] | undefined
  /**
   * Forgets this page's unsent items and, once the writes under way are done,
   * deletes them from storage. `all` deletes every stored item and shared value
   * of the queue (other tabs' too; the send lock apart) and every spill. A
   * memory store is this page's alone: it is emptied either way.
   */
  purge(all: boolean): Promise<void>
  /** Marks keys as being sent (by this tab or another), so eviction leaves them alone; `false` unmarks. */
  protect(keys: Iterable<string>, on: boolean): void
  /** Drops keys from the mirror that another tab delivered. */
  forget(keys: Iterable<string>): void
  getMeta<T>(name: string): Promise<T | undefined>
  setMeta(name: string, value: unknown): Promise<void>
  /** Runs `fn` while holding the origin-wide send lock, or not at all. */
  withLock<T>(fn: () => Promise<T>): Promise<LockResult<T>>
  close(): Promise<void>
}

/** Creates the queue; storage opens in the background and never throws into the page. */
export function createQueue(options: QueueOptions): Queue {
  const mirror = new Map<string, QueueItem>()
  /** Keys being sent right now: an item in flight is not evicted (it would be counted lost, then sent). */
  const sending = new Set<string>()
  /** Mirror keys known to be in storage. */
  const stored = new Set<string>()
  let buffer: QueueItem[] = []
  let current: Store | undefined
  const storage = () => current?.kind ?? options.storage

  /** This page no longer holds `key` unsent: delivered, dropped, evicted, or delivered by another tab. */
  const drop = (key: string) => {
    mirror.delete(key)
    stored.delete(key)
  }

  /** Called at most once: only IndexedDB fails, and from then on the queue stays in memory. */
  const toMemory = (error: unknown): Store => {
    current?.close()
    // Everything this page accepted and did not see delivered is in the mirror:
    // seed memory with it so that nothing accepted is lost.
    current = createMemoryStore(mirror.values())
    options.onStorageFault(storageError('access', error))
    return current
  }

  let ready: Promise<Store> =
    options.storage === 'memory'
      ? Promise.resolve((current = createMemoryStore()))
      : openIndexedDbStore(`pollen:${options.name}`).then(async (store) => {
          current = store
          // Items an earlier page spilled while going away join the queue first.
          const spilled = takeSpills(options.name, options.owner)
          if (spilled.length > 0) {
            try {
              evicted(await store.append(spilled, options.maxQueueBytes))
            } catch {
              // Leave them for the next page, apart from this page's own spill.
              writeSpill(options.name, `${options.owner}-kept`, spilled)
            }
          }
          return store
        }, toMemory)

  /** Runs an operation on the store; if IndexedDB fails, moves to memory and runs it there. */
  const use = async <T>(operation: (store: Store) => Promise<T>): Promise<T> => {
    const store = await ready
    try {
      return await operation(store)
    } catch (error) {
      if (store.kind === 'memory') throw error
      // The failing store may already have been replaced by a concurrent operation.
      const memory = current?.kind === 'memory' ? current : toMemory(error)
      ready = Promise.resolve(memory)
      return operation(memory)
    }
  }

  const evicted = (items: QueueItem[]) => {
    if (items.length === 0) return
    for (const { key } of items) drop(key)
    options.onEvicted(items)
  }

  let writes: Promise<void> = Promise.resolve()
  let scheduled = false
  const persist = () => {
    scheduled = false
    if (buffer.length === 0) return
    const batch = buffer
    buffer = []
    writes = writes.then(async () => {
      // A burst goes in parts, each in a task of its own: IndexedDB copies what
      // it is given on the main thread, and 1,000 chat turns (4 MB) took 60 ms.
      // Parts of 512 kB still made long tasks in bursts of 1,000 per task (8 in
      // 5 runs of the long-tasks bench); parts of 256 kB none in 3.
      for (let start = 0, end = 0; start < batch.length; start = end) {
        if (start > 0) await nextTask()
        for (let bytes = 0; end < batch.length && (end === start || bytes + batch[end]!.bytes <= APPEND_BYTES); end++) bytes += batch[end]!.bytes
        const part = batch.slice(start, end)
        evicted(await use((store) => store.append(part, options.maxQueueBytes, sending)).catch(() => []))
        for (const { key } of part) if (mirror.has(key)) stored.add(key)
      }
      // The page was hidden and is still here: what it spilled is stored now.
      if (spilled) spill()
    })
  }

  let spilled = false
  /** Writes this page's accepted items that IndexedDB does not hold yet to localStorage, synchronously. */
  const spill = () => {
    if (storage() === 'memory') return
    const unstored = [...mirror.values()].filter((item) => !stored.has(item.key))
    spilled = writeSpill(options.name, options.owner, unstored) && unstored.length > 0
    return unstored
  }

  const lock = createSendLock(`pollen:${options.name}`, options.owner, () => current ?? createMemoryStore())

  return {
    get storage() {
      return storage()
    },
    add(item) {
      mirror.set(item.key, item)
      buffer.push(item)
      if (!scheduled) {
        scheduled = true
        queueMicrotask(persist)
      }
    },
    settled() {
      if (scheduled) persist()
      return writes
    },
    async read(limit) {
      const items = await use((store) => store.read(limit))
      if (items.length < limit) {
        // Storage holds less than asked: every stored item of ours that is not
        // there was delivered by another tab or evicted. Keep the mirror true.
        const present = new Set(items.map((item) => item.key))
        for (const key of stored) if (!present.has(key)) drop(key)
      }
      return items
    },
    async remove(items) {
      for (const { key } of items) drop(key)
      await use((store) => store.remove(items))
    },
    holds(key) {
      return mirror.has(key)
    },
    has(key) {
      return use((store) => store.has(key))
    },
    unsent() {
      return [...mirror.values()]
    },
    get unsentCount() {
      return mirror.size
    },
    spill,
    purge(all) {
      const keys = [...mirror.keys()]
      mirror.clear()
      stored.clear()
      buffer = []
      spilled = false
      if (all) takeSpills(options.name, '')
      const done = writes.then(() => use((store) => store.clear(all || store.kind === 'memory' ? undefined : keys)))
      writes = done.catch(() => undefined)
      return done
    },
    protect(keys, on) {
      for (const key of keys) {
        if (on) sending.add(key)
        else sending.delete(key)
      }
    },
    forget(keys) {
      for (const key of keys) drop(key)
    },
    getMeta(name) {
      return use((store) => store.getMeta(name))
    },
    setMeta(name, value) {
      return use((store) => store.setMeta(name, value))
    },
    async withLock(fn) {
      await ready
      return lock.run(fn)
    },
    async close() {
      await this.settled()
      ;(await ready).close()
    },
  }
}
