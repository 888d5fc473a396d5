import type { Queue } from '../queue/index.js'
import { backoffMs } from '../transport/index.js'

/** Where the shared retry state lives in the queue's meta store. */
const RETRY_META = 'retry'

/** The retry state as stored. */
interface RetryRecord {
  attempt: number
  until: number
  /** The server asked for this wait (Retry-After), rather than the network failing. */
  server: boolean
}

/**
 * When sends may go again, shared by the tabs of an origin through the
 * queue's meta store: after a round that left items to retry, the server's
 * Retry-After or else a backoff that grows with each attempt; a round that
 * left none clears it.
 */
export function createRetryState(queue: Queue) {
  /** Until when this page's sends wait (epoch ms); in the past when they need not. */
  let until = 0
  /** The shared state as the current round found it. */
  let found: RetryRecord | undefined

  return {
    get until() {
      return until
    },
    /** Before a round: reads the shared state; true while its wait is not over. */
    async waiting(): Promise<boolean> {
      found = await queue.getMeta<RetryRecord>(RETRY_META)
      if (!found || found.until <= Date.now()) return false
      until = found.until
      return true
    },
    /** After a round that left items to retry: starts the next wait and returns its end. */
    async failed(retryAfterMs: number | undefined): Promise<number> {
      const attempt = (found?.attempt ?? 0) + 1
      until = Date.now() + (retryAfterMs ?? backoffMs(attempt - 1))
      const state: RetryRecord = { attempt, until, server: retryAfterMs !== undefined }
      await queue.setMeta(RETRY_META, state)
      return until
    },
    /** After a round that left nothing to retry: no tab waits any more. */
    async succeeded(): Promise<void> {
      if (found) await queue.setMeta(RETRY_META, undefined)
    },
    /**
     * Reads the shared state again (at start, page shown, back online) and
     * returns the end of its wait. Back online, a wait caused by network
     * failures ends at once; a wait the server asked for is still honoured.
     */
    async reload(online: boolean): Promise<number> {
      let state = await queue.getMeta<RetryRecord>(RETRY_META)
      if (online && state && !state.server) {
        await queue.setMeta(RETRY_META, undefined)
        state = undefined
      }
      until = state?.until ?? 0
      return until
    },
  }
}

/** The shared retry state of {@link createRetryState}. */
export type RetryState = ReturnType<typeof createRetryState>
