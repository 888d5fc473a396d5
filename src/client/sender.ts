import type { PollenError } from '../errors.js'
import type { Queue } from '../queue/index.js'
import type { Outcome, Target } from '../transport/index.js'
import { createFlushLoop, type Round } from './flush-loop.js'
import { createRetryState } from './retry-state.js'
import { ROUND_BATCHES, sendRound } from './round.js'
import { settleRound } from './settle.js'
import type { LiveStats } from './stats.js'
import { openTabChannel } from './tab-channel.js'
import type { ItemEnd } from './tracker.js'
import { createUnloadPath } from './unload.js'

/** Options of {@link createSender}. */
export interface SenderOptions {
  target: Target
  queue: Queue
  stats: LiveStats
  batchSize: number
  flushInterval: number
  /** Reports background failures; never throws. */
  report(error: PollenError): void
  /** Name for the cross-tab channel. */
  channelName: string
  /** Items left the queue, sent (`[key]`) or dropped (`[key, reason]`), by this tab or another. */
  ended(ends: ItemEnd[]): void
  /** The pending or retrying items changed. */
  changed(): void
}

/**
 * Moves items from the queue to the server: on a timer, when a batch is full,
 * on demand, and on the unload path. Shares retry state and a send lock with
 * the other tabs of the origin, and tells them over a BroadcastChannel what it
 * delivered, so their unload path does not send it again.
 */
export function createSender(options: SenderOptions) {
  const { queue, stats, target } = options
  /** This page's keys whose send failed and that wait for a retry. */
  const failed = new Set<string>()
  const retry = createRetryState(queue)

  const refresh = () => {
    const current = stats.get()
    const pending = queue.unsentCount
    if (current.pending !== pending || current.retrying !== failed.size || current.storage !== queue.storage) {
      stats.set({ pending, retrying: failed.size, storage: queue.storage })
    }
    options.changed()
  }

  const channel = openTabChannel(options.channelName, queue, (done, ends) => {
    for (const key of done) failed.delete(key)
    options.ended(ends)
    refresh()
  })
  const unload = createUnloadPath(target, queue, channel)
  const settling = { queue, stats, channel, failed, unload, ended: options.ended, report: options.report }

  /** One round under the lock: read, send, settle, and record retry state. */
  const round = async (): Promise<Round> => {
    channel.dropClaims()
    if (await retry.waiting()) return 'wait'
    const items = await queue.read(options.batchSize * ROUND_BATCHES)
    if (items.length === 0) return 'empty'
    const keys = items.map((item) => item.key)
    channel.announce({ claim: keys })
    queue.protect(keys, true)
    let outcome: Outcome
    try {
      outcome = await sendRound(target, items, options.batchSize)
      await settleRound(outcome, items, settling)
    } finally {
      queue.protect(keys, false)
    }
    if (outcome.retry.length > 0) {
      stats.set({ retryAt: await retry.failed(outcome.retryAfterMs) })
      return 'wait'
    }
    await retry.succeeded()
    if (stats.get().retryAt !== undefined) stats.set({ retryAt: undefined })
    return 'more'
  }

  const loop = createFlushLoop({ queue, round, retryUntil: () => retry.until, refresh, report: options.report })

  return {
    /** Sends what is pending now; resolves when done or when sends must wait. */
    flush: loop.flush,
    /** Called after items were added: send soon if a batch is full, else within the interval. */
    added() {
      refresh()
      loop.schedule(queue.unsentCount >= options.batchSize ? 0 : options.flushInterval)
    },
    /**
     * Flushes once any retry wait is over: at start (items left by an earlier
     * visit or a closed tab), when the page is shown again, or when the
     * network is back (which ends a wait caused by network failures).
     */
    flushWhenDue(reason: 'start' | 'shown' | 'online') {
      unload.reset()
      retry
        .reload(reason === 'online')
        .then((until) => {
          if (reason !== 'shown' || queue.unsentCount > 0) loop.schedule(Math.max(0, until - Date.now()))
        })
        .catch(() => undefined)
    },
    /** The page is going away (or may be): the unload path, synchronously. */
    unload: unload.send,
    /** Whether this page's send of `key` failed and waits for a retry. */
    retrying: (key: string) => failed.has(key),
    /** Items that left the queue without a send (evicted): no longer retrying. */
    forget(keys: string[]) {
      for (const key of keys) failed.delete(key)
      unload.forget(keys)
      refresh()
    },
    stop() {
      loop.stop()
      channel.close()
    },
  }
}
