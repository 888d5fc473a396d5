import type { Queue } from '../queue/index.js'

/** Small durable values shared by the tabs of an origin, kept beside the queue (in memory when storage is). */
export interface ClientRecords {
  /** The value stored under `key`, or undefined. Never rejects. */
  get<T>(key: string): Promise<T | undefined>
  /** Stores a structured-cloneable value under `key` (not while the client is disabled); `undefined` deletes it. Never rejects. */
  set(key: string, value: unknown): Promise<void>
}

/**
 * Records live in the queue's meta store, beside the queue's own state; a
 * storage fault answers undefined. While the client is disabled (`enabled()`
 * false) nothing new is stored; deleting still works.
 */
export function createRecords(queue: Queue, enabled: () => boolean): ClientRecords {
  return {
    get: <T>(key: string) => queue.getMeta<T>(`record:${key}`).catch(() => undefined),
    set: async (key, value) => {
      if (value === undefined || enabled()) await queue.setMeta(`record:${key}`, value).catch(() => undefined)
    },
  }
}
