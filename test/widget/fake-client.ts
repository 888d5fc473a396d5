import type { Delivery } from '../../src/client/index.js'
import type { FeedbackClient } from '../../src/widget/index.js'

/**
 * A small honest stand-in for the Pollen client: records `feedback()` calls,
 * returns refs r1, r2, …, tells tracked listeners what the test pushes (first
 * call soon and async, like the real one), and keeps records in memory
 * (cloned, as IndexedDB would).
 */
export function createFakeClient() {
  const calls: { eventId: string; feedback: Record<string, unknown>; userProperties?: Record<string, unknown> }[] = []
  const states = new Map<string, Delivery>()
  const listeners = new Map<string, Set<(delivery: Delivery) => void>>()
  const records = new Map<string, unknown>()
  let throws: Error | undefined

  const client: FeedbackClient = {
    feedback(eventId, feedback, userProperties) {
      if (throws) throw throws
      calls.push({ eventId, feedback, ...(userProperties ? { userProperties } : {}) })
      const ref = `r${calls.length}`
      states.set(ref, { state: 'queued' })
      return ref
    },
    track(ref, listener) {
      const set = listeners.get(ref) ?? new Set()
      listeners.set(ref, set.add(listener))
      void Promise.resolve().then(() => set.has(listener) && listener(states.get(ref) ?? { state: 'queued' }))
      return () => set.delete(listener)
    },
    records: {
      get: async <T>(key: string) => structuredClone(records.get(key)) as T | undefined,
      set: async (key, value) => void (value === undefined ? records.delete(key) : records.set(key, structuredClone(value))),
    },
  }

  return {
    client,
    calls,
    records,
    /** Moves `ref` to `delivery` and tells its listeners. */
    push(ref: string, delivery: Delivery) {
      states.set(ref, delivery)
      for (const listener of listeners.get(ref) ?? []) listener(delivery)
    },
    /** How many listeners follow `ref` now. */
    tracking: (ref: string) => listeners.get(ref)?.size ?? 0,
    /** Makes the next `feedback()` calls throw `error` (undefined: stop). */
    throwOnFeedback(error: Error | undefined) {
      throws = error
    },
  }
}

export type FakeClient = ReturnType<typeof createFakeClient>
