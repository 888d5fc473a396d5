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
 * store is private to the page: its lease is always free, and the local flag
 * that keeps this page to one run at a time is enough.
 */
export function createSendLock(name: string, owner: string, store: () => Store): SendLock {
  let busy = false
  return {
    async run(fn) {
      const current = store()
      const locks = globalThis.navigator?.locks
      let result: LockResult<Awaited<ReturnType<typeof fn>>> = { acquired: false }
      const hold = async () => {
        result = { acquired: true, value: await fn() }
      }
      if (current.kind === 'indexeddb' && locks) {
        await locks.request(name, { ifAvailable: true }, async (lock) => {
          if (lock) await hold()
        })
      } else if (!busy) {
        busy = true
        try {
          if (await current.claimLease(owner, LEASE_TTL_MS)) {
            try {
              await hold()
            } finally {
              await current.releaseLease(owner).catch(() => undefined)
            }
          }
        } finally {
          busy = false
        }
      }
      return result
    },
  }
}
