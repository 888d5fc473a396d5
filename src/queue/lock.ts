import type { Store } from './contract.js'

/** How long an IndexedDB lease lives if its tab dies while holding it. */
const LEASE_TTL_MS = 60_000

/** The outcome of {@link SendLock.run}: `acquired: false` when another tab is sending. */
export type LockResult<T> = { acquired: true; value: T } | { acquired: false }

/** Makes sure only one tab of an origin sends from the shared queue at a time. */
export interface SendLock {
  run<T>(fn: () => Promise<T>): Promise<LockResult<T>>
}

/**
 * Web Locks where present (released by the browser if the tab dies); else a
 * lease record in IndexedDB that expires after {@link LEASE_TTL_MS}. A memory
 * store is private to the page, so a local flag is enough for it.
 */
export function createSendLock(name: string, owner: string, store: () => Store): SendLock {
  let busy = false
  const local = async <T>(fn: () => Promise<T>): Promise<LockResult<T>> => {
    if (busy) return { acquired: false }
    busy = true
    try {
      return { acquired: true, value: await fn() }
    } finally {
      busy = false
    }
  }

  return {
    async run(fn) {
      const current = store()
      if (current.kind === 'memory') return local(fn)
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
      if (locks?.request) {
        let result: LockResult<Awaited<ReturnType<typeof fn>>> = { acquired: false }
        await locks.request(name, { ifAvailable: true }, async (lock) => {
          if (lock) result = { acquired: true, value: await fn() }
        })
        return result
      }
      return local(async () => {
        if (!(await current.claimLease(owner, LEASE_TTL_MS))) return { acquired: false } as const
        try {
          return { acquired: true, value: await fn() } as const
        } finally {
          await current.releaseLease(owner).catch(() => undefined)
        }
      }).then((outer) => (outer.acquired ? outer.value : outer))
    },
  }
}
