import { PollenError } from '../errors.js'
import type { Store } from './contract.js'
import { bytesOf, type QueueItem } from './item.js'

const VERSION = 1
const SEGMENTS = 'segments'
const META = 'meta'
const BYTES = 'bytes'
const LEASE = 'lease'
/** Items per stored segment: few enough that rewriting one after a partial send stays cheap. */
const SEGMENT_ITEMS = 64
/**
 * Bytes per stored segment. Chromium keeps values over 64 KiB in separate blob
 * files, which measured twice as slow to write and read (2.2 ms vs 1.0 ms).
 */
const SEGMENT_BYTES = 60 * 1024

/**
 * Items are stored in segments: a record holds up to SEGMENT_ITEMS items (and
 * SEGMENT_BYTES) of one append (what a page logged in one task). Each
 * IndexedDB record has a fixed cost far above its size, so 64 events in one
 * record instead of 64 records keeps bursts of `log()` cheap to persist.
 */
interface Segment {
  /** The key of its first item. */
  key: string
  items: QueueItem[]
  bytes: number
}

interface Lease {
  owner: string
  until: number
}

/**
 * The `storage-unavailable` error of a failed operation; a PollenError passes
 * as it is. `cause` is an Error or a DOMException, which both print as `Name: message`.
 */
export function storageError(operation: string, cause: unknown): PollenError {
  return cause instanceof PollenError ? cause : new PollenError('storage-unavailable', `IndexedDB ${operation} failed (${String(cause)}); continuing in memory`)
}

/**
 * Resolves with the result of `req` when it succeeds, rejects with its error.
 * Code awaiting it still runs inside the transaction: promise callbacks run
 * before the success event's dispatch ends, while the transaction is active.
 */
function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

/**
 * Opens (or creates) the queue database `name`. Rejects with a
 * `storage-unavailable` PollenError when IndexedDB is missing (a
 * ReferenceError), refuses, or stays blocked longer than `timeoutMs` (another
 * tab holding an old version).
 */
export async function openIndexedDbStore(name: string, timeoutMs = 3000): Promise<Store> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const open = indexedDB.open(name, VERSION)
    // Version 1 is the first: an upgrade means the database is new.
    open.onupgradeneeded = () => {
      open.result.createObjectStore(SEGMENTS, { keyPath: 'key' })
      open.result.createObjectStore(META)
    }
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The queue goes on in memory; a database that opens after all is closed at once.
        open.onsuccess = () => open.result.close()
        reject(new Error(`no answer within ${timeoutMs} ms (blocked by another tab?)`))
      }, timeoutMs)
    })
    const db = await Promise.race([request(open), timeout])
    // Let a newer version of Pollen in another tab upgrade the database.
    db.onversionchange = () => db.close()
    return wrap(db)
  } catch (error) {
    throw storageError('open', error)
  } finally {
    clearTimeout(timer)
  }
}

function wrap(db: IDBDatabase): Store {
  /**
   * Runs `body` in one transaction, read-only for a `read`; resolves with its
   * result once the transaction commits. `body` is async, so whatever it
   * throws rejects; errors name the operation.
   */
  const run = async <T>(
    operation: 'read' | 'write' | 'delete' | 'lease',
    body: (segments: IDBObjectStore, meta: IDBObjectStore, tx: IDBTransaction) => Promise<T>,
  ): Promise<T> => {
    try {
      const tx = db.transaction([SEGMENTS, META], operation === 'read' ? 'readonly' : 'readwrite')
      const done = new Promise((resolve, reject) => {
        tx.oncomplete = resolve
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'))
      })
      const [result] = await Promise.all([body(tx.objectStore(SEGMENTS), tx.objectStore(META), tx), done])
      return result
    } catch (error) {
      throw storageError(operation, error)
    }
  }

  /**
   * How many items each segment held when `read()` last saw it. Segments only
   * shrink, so removing that many of its items removes them all: the segment
   * is deleted without being read again (a round of 1,000 chat turns read
   * back 4 MB only to delete it). This tab's own eviction and clear forget
   * what they shrink. (Another tab evicts no item being sent; if it purged
   * its items while this tab sent them, the byte counter ends low by theirs,
   * and the cap is kept that much later.)
   */
  const seen = new Map<string, number>()

  /** The bytes of all stored items: a counter in `meta`, so that a cap check reads one record. */
  const storedBytes = async (meta: IDBObjectStore): Promise<number> => (await request(meta.get(BYTES))) ?? 0

  return {
    kind: 'indexeddb',

    async append(items, maxBytes, keep) {
      // The items go in a transaction of their own that needs no callback to
      // commit: a page closed right after log() runs no more IndexedDB
      // callbacks, and Chromium aborts a transaction still waiting for one.
      await run('write', async (segments, _, tx) => {
        for (const segment of segmentsOf(items)) segments.put(segment)
        tx.commit?.()
      })
      // Then the byte counter and, past the cap, eviction.
      return run('write', async (segments, meta) => {
        let total = (await storedBytes(meta)) + bytesOf(items)
        const evicted: QueueItem[] = []
        // Over the cap: walk from the oldest segment and drop events until it fits.
        if (total > maxBytes) {
          await walk(segments.openCursor(), (segment) => {
            const kept = segment.items.filter((item) => {
              const evict = total > maxBytes && item.kind === 'event' && !keep?.has(item.key)
              if (evict) {
                total -= item.bytes
                evicted.push(item)
              }
              return !evict
            })
            if (kept.length < segment.items.length) seen.delete(segment.key)
            keepOnly(segments, segment, kept)
            return total > maxBytes
          })
        }
        meta.put(total, BYTES)
        return evicted
      })
    },

    read(limit) {
      return run('read', async (segments) => {
        const out: QueueItem[] = []
        seen.clear()
        await walk(segments.openCursor(), ({ key, items }) => {
          seen.set(key, items.length)
          for (const item of items.slice(0, limit - out.length)) out.push({ ...item, segment: key })
          return out.length < limit
        })
        return out
      })
    },

    async remove(items) {
      const bySegment = new Map<string, Map<string, number>>()
      for (const { key, segment, bytes } of items) {
        if (segment !== undefined) bySegment.set(segment, (bySegment.get(segment) ?? new Map()).set(key, bytes))
      }
      if (bySegment.size === 0) return
      await run('delete', async (segments, meta) => {
        let freed = 0
        for (const [key, keys] of bySegment) {
          if (seen.get(key) === keys.size) {
            segments.delete(key)
            for (const bytes of keys.values()) freed += bytes
            continue
          }
          const segment: Segment | undefined = await request(segments.get(key))
          if (segment) freed += keepOnly(segments, segment, segment.items.filter((item) => !keys.has(item.key)))
        }
        if (freed > 0) meta.put(Math.max(0, (await storedBytes(meta)) - freed), BYTES)
      })
    },

    clear(keys) {
      return run('delete', async (segments, meta) => {
        if (keys) {
          const gone = new Set(keys)
          let freed = 0
          await walk(segments.openCursor(), (segment) => {
            seen.delete(segment.key)
            freed += keepOnly(segments, segment, segment.items.filter((item) => !gone.has(item.key)))
          })
          if (freed > 0) meta.put(Math.max(0, (await storedBytes(meta)) - freed), BYTES)
          return
        }
        segments.clear()
        // The lease stays: a tab sending now still holds the lock it took.
        for (const name of await request(meta.getAllKeys())) if (name !== LEASE) meta.delete(name)
      })
    },

    has(key) {
      return run('read', async (segments) => {
        let found = false
        // A segment is keyed by its first item, so only segments up to `key` can hold it.
        await walk(segments.openCursor(IDBKeyRange.upperBound(key)), ({ items }) => !(found = items.some((item) => item.key === key)))
        return found
      })
    },

    getMeta(name) {
      return run('read', async (_, meta) => request(meta.get(name)))
    },

    setMeta(name, value) {
      return run('write', async (_, meta) => {
        if (value === undefined) meta.delete(name)
        else meta.put(value, name)
      })
    },

    claimLease(owner, ttlMs) {
      // A readwrite transaction on `meta` is exclusive across tabs, so this
      // read-then-write is an atomic compare-and-set.
      return run('lease', async (_, meta) => {
        const lease: Lease | undefined = await request(meta.get(LEASE))
        const now = Date.now()
        const free = !lease || lease.owner === owner || lease.until <= now
        if (free) meta.put({ owner, until: now + ttlMs } satisfies Lease, LEASE)
        return free
      })
    },

    releaseLease(owner) {
      return run('lease', async (_, meta) => {
        const lease: Lease | undefined = await request(meta.get(LEASE))
        if (lease?.owner === owner) meta.delete(LEASE)
      })
    },

    close() {
      db.close()
    },
  }
}

/** Calls `visit` with the segments under `cursor`, in key order, until it returns false. */
async function walk(cursor: IDBRequest<IDBCursorWithValue | null>, visit: (segment: Segment) => boolean | void): Promise<void> {
  for (let at = await request(cursor); at && visit(at.value) !== false; at = await request(cursor)) at.continue()
}

/** Stores what is left of `segment`: deleted when `kept` is empty, rewritten when items went. Returns the bytes that went. */
function keepOnly(segments: IDBObjectStore, segment: Segment, kept: QueueItem[]): number {
  if (kept.length === 0) segments.delete(segment.key)
  else if (kept.length < segment.items.length) segments.put({ key: segment.key, items: kept, bytes: bytesOf(kept) } satisfies Segment)
  return segment.bytes - bytesOf(kept)
}

/**
 * Splits an append into segments of at most SEGMENT_ITEMS items and
 * SEGMENT_BYTES (a larger item goes alone). Items are stored without the
 * `segment` that `read()` adds.
 */
function segmentsOf(items: QueueItem[]): Segment[] {
  const segments: Segment[] = []
  let segment: Segment | undefined
  for (const { key, kind, id, json, bytes } of items) {
    if (!segment || segment.items.length >= SEGMENT_ITEMS || segment.bytes + bytes > SEGMENT_BYTES) {
      segments.push((segment = { key, items: [], bytes: 0 }))
    }
    segment.items.push({ key, kind, id, json, bytes })
    segment.bytes += bytes
  }
  return segments
}
