import type { PollenError } from '../errors.js'
import type { Queue, QueueItem } from '../queue/index.js'
import { createDeferredSend, outcomeOf, type Outcome } from '../transport/index.js'
import { createFlushLoop, type Round } from './flush-loop.js'
import { rememberProxyReads } from './proxy-reads.js'
import type { ResolvedOptions } from './options.js'
import { createRetryState } from './retry-state.js'
import { ROUND_BATCHES, sendRound } from './round.js'
import { settleRound } from './settle.js'
import type { LiveStats } from './stats.js'
import { openTabChannel, READING } from './tab-channel.js'
import type { ItemEnd, Tracker } from './tracker.js'
import { createUnloadPath } from './unload.js'

/** How often at most (ms) the deferred copy of the unsent items is replaced. */
const DEFERRED_MS = 500

/**
 * Moves items from the queue to the server: on a timer, when a batch is full,
 * on demand, and on the unload path. Shares retry state and a send lock with
 * the other tabs of the origin, and tells them over a BroadcastChannel (named
 * `channelName`) what it delivered, so their unload path does not send it
 * again. Tells `tracker` what became of items, and `report` (which never
 * throws) what went wrong.
 */
export function createSender(
  config: ResolvedOptions,
  channelName: string,
  queue: Queue,
  stats: LiveStats,
  tracker: Tracker,
  report: (error: PollenError) => void,
) {
  const { target, batchSize } = config
  /** This page's keys whose send failed and that wait for a retry. */
  const failed = new Set<string>()
  const retry = createRetryState(queue)
  /** Disabled (no consent yet, or withdrawn): nothing is sent, not even at unload. */
  let off = !config.enabled
  const saveReads = rememberProxyReads(target, channelName)

  /** fetchLater's copy of this page's unsent items, for a tab that dies without pagehide. */
  const deferred = createDeferredSend(target)
  let deferring: ReturnType<typeof setTimeout> | undefined
  /** Registers the unsent items again soon: once per DEFERRED_MS however many changes, and only while the page is visible (hidden, the unload path has them). */
  const defer = () => {
    if (!deferred.available || deferring) return
    deferring = setTimeout(() => {
      deferring = undefined
      if (!off && globalThis.document?.visibilityState !== 'hidden') deferred.set(queue.unsent())
    }, DEFERRED_MS)
  }

  /** Counts may have changed: tells the stats and the trackers. */
  const refresh = () => {
    stats.set({ pending: queue.unsentCount, retrying: failed.size, storage: queue.storage })
    tracker.changed()
    defer()
  }

  /** Forgets this page's unsent items, here and in storage (`all`: the whole queue's); they count as `purged` drops. */
  const purge = (all: boolean) => {
    const keys = queue.unsent().map((item) => item.key)
    stats.drop('purged', keys.length)
    tracker.ended(keys.map((key): ItemEnd => [key, 'purged: deleted by purge()']))
    failed.clear()
    deferred.clear()
    const done = queue.purge(all)
    refresh()
    return done
  }

  const channel = openTabChannel(
    channelName,
    queue,
    (ends) => {
      for (const [key] of ends) failed.delete(key)
      tracker.ended(ends)
      refresh()
    },
    () => void purge(false).catch(() => undefined),
  )
  const unload = createUnloadPath(target, queue, channel)
  const settling = { queue, stats, channel, failed, tracker, report }

  /** One round under the lock: read, send, settle, and record retry state. */
  const round = async (): Promise<Round> => {
    if (off) return 'empty'
    channel.dropClaims()
    // Claimed before reading, not after: a tab going away while this one reads
    // would hand to a beacon what this round is about to read and send.
    channel.announce({ claim: [READING] })
    const wait = await retry.waiting()
    const items = wait ? [] : await queue.read(batchSize * ROUND_BATCHES)
    const keys = items.map((item) => item.key)
    channel.announce({ claim: keys, release: [READING] })
    if (wait) return 'wait'
    if (items.length === 0) return 'empty'
    queue.protect(keys, true)
    let outcome: Outcome
    try {
      // Items queued longer than maxAgeMs (by their key's time) leave unsent, counted as expired.
      const oldest = Date.now() - config.maxAgeMs
      const expired = (item: QueueItem) => parseInt(item.key) < oldest
      const fresh = items.filter((item) => !expired(item))
      outcome = fresh.length > 0 ? await sendRound(target, fresh, batchSize) : outcomeOf()
      // The answers may have said what the proxy reads.
      saveReads()
      for (const item of items) if (expired(item)) outcome.rejected.push({ item, code: 'expired', message: `queued longer than maxAgeMs (${config.maxAgeMs} ms)` })
      await settleRound(outcome, items, settling)
    } finally {
      queue.protect(keys, false)
    }
    if (outcome.retry.length > 0) {
      stats.set({ retryAt: await retry.failed(outcome.retryAfterMs) })
      return 'wait'
    }
    await retry.succeeded()
    stats.set({ retryAt: undefined })
    return 'more'
  }

  const loop = createFlushLoop(queue, round, retry, refresh, report)

  /**
   * Flushes once any retry wait is over: at start (items left by an earlier
   * visit or a closed tab), when the page is shown again, when the network is
   * back (which ends a wait caused by network failures), or when enabled.
   */
  const flushWhenDue = (reason: 'start' | 'shown' | 'online') => {
    unload.reset()
    if (off) return
    defer()
    retry
      .reload(reason === 'online')
      .then((until) => {
        if (reason !== 'shown' || queue.unsentCount > 0) loop.schedule(until - Date.now())
      })
      .catch(() => undefined)
  }

  return {
    /** Sends what is pending now; resolves when done or when sends must wait. */
    flush: loop.flush,
    /** Called after items were added: send soon if a batch is full, else within the interval. */
    added() {
      refresh()
      loop.schedule(queue.unsentCount >= batchSize ? 0 : config.flushInterval)
    },
    /** Flushes once any retry wait is over (see above). */
    flushWhenDue,
    /** The page is going away (or may be): the unload path, synchronously; beacons get fetchLater's budget. */
    unload() {
      clearTimeout(deferring)
      deferring = undefined
      deferred.clear()
      // Disabled, what was queued before stays for later: stored, not sent.
      if (off) queue.spill()
      else unload.send()
    },
    /** Starts (after consent) or stops sending; starting sends what waits. */
    enable(on: boolean) {
      off = !on
      if (on) flushWhenDue('start')
      else deferred.clear()
    },
    /** Deletes the whole queue of the origin, in every tab: nothing of it is sent, here or anywhere. */
    purge() {
      channel.announce({ purge: true })
      return purge(true)
    },
    /** Whether this page's send of `key` failed and waits for a retry. */
    retrying: (key: string) => failed.has(key),
    /** Items that left the queue without a send (evicted): no longer retrying. */
    forget(keys: string[]) {
      for (const key of keys) failed.delete(key)
      refresh()
    },
    stop() {
      clearTimeout(deferring)
      deferred.clear()
      loop.stop()
      channel.close()
    },
  }
}
