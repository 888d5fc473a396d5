import { PollenError } from '../errors.js'
import type { Queue, QueueItem } from '../queue/index.js'
import { backoffMs, chunkByBytes, MAX_BODY_BYTES, sendBatch, sendOnUnload, type Outcome, type Target } from '../transport/index.js'
import type { createStatsStore } from './stats.js'

/** How soon to look again when another tab holds the send lock. */
const LOCK_RETRY_MS = 1000
/** Where the shared retry state lives in the queue's meta store. */
const RETRY_META = 'retry'

interface RetryState {
  attempt: number
  until: number
  /** The server asked for this wait (Retry-After), rather than the network failing. */
  server: boolean
}

/** Options of {@link createSender}. */
export interface SenderOptions {
  target: Target
  queue: Queue
  stats: ReturnType<typeof createStatsStore>
  batchSize: number
  flushInterval: number
  /** Reports background failures; never throws. */
  report(error: PollenError): void
  /** Name for the cross-tab channel. */
  channelName: string
}

type Round = 'more' | 'empty' | 'wait'

/**
 * Moves items from the queue to the server: on a timer, when a batch is full,
 * on demand, and on the unload path. Shares retry state and a send lock with
 * the other tabs of the origin, and tells them over a BroadcastChannel what it
 * delivered, so their unload path does not send it again.
 */
export function createSender(options: SenderOptions) {
  const { queue, stats, target } = options
  let timer: ReturnType<typeof setTimeout> | undefined
  let timerAt = Infinity
  let retryUntil = 0
  let stopped = false
  /** Keys another tab announced it is sending; our unload path leaves them to it. */
  const claimedElsewhere = new Set<string>()
  /** Keys this page already handed to the unload path during this hidden period. */
  const unloaded = new Set<string>()
  const failed = new Set<string>()
  let unloadBytes = 0

  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(options.channelName) : undefined
  if (channel) {
    channel.onmessage = (message: MessageEvent<{ claim?: string[]; done?: string[]; release?: string[] }>) => {
      const { claim, done, release } = message.data ?? {}
      for (const key of claim ?? []) claimedElsewhere.add(key)
      for (const key of release ?? []) claimedElsewhere.delete(key)
      if (done) {
        for (const key of done) {
          claimedElsewhere.delete(key)
          failed.delete(key)
        }
        queue.forget(done)
        refresh()
      }
    }
  }
  const announce = (message: { claim?: string[]; done?: string[]; release?: string[] }) => {
    try {
      channel?.postMessage(message)
    } catch {
      // A closed channel (page going away) has no one left to tell.
    }
  }

  const refresh = () => {
    const current = stats.get()
    const pending = queue.unsentCount
    if (current.pending !== pending || current.retrying !== failed.size || current.storage !== queue.storage) {
      stats.set({ pending, retrying: failed.size, storage: queue.storage })
    }
  }

  /** Arms the timer for `delay` ms from now unless an earlier run is already due. */
  const schedule = (delay: number) => {
    if (stopped) return
    const at = Date.now() + Math.max(0, delay)
    if (timer !== undefined && timerAt <= at) return
    if (timer !== undefined) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(() => {
      timer = undefined
      timerAt = Infinity
      void kick()
    }, Math.max(0, delay))
  }

  const settle = async (outcome: Outcome) => {
    const finished = [...outcome.delivered, ...outcome.rejected.map((r) => r.item)] as QueueItem[]
    if (finished.length > 0) await queue.remove(finished)
    const done = finished.map((item) => item.key)
    for (const key of done) {
      failed.delete(key)
      unloaded.delete(key)
    }
    for (const item of outcome.retry) failed.add(item.key)
    announce({ done, release: outcome.retry.map((item) => item.key) })
    if (outcome.delivered.length > 0) stats.set({ sent: stats.get().sent + outcome.delivered.length })
    const byCode = new Map<string, typeof outcome.rejected>()
    for (const rejection of outcome.rejected) byCode.set(rejection.code, [...(byCode.get(rejection.code) ?? []), rejection])
    for (const [code, rejections] of byCode) {
      stats.drop(code, rejections.length)
      options.report(
        new PollenError('rejected', `The server refused ${rejections.length} item(s) (${code}): ${rejections[0]!.message}`, [
          ...rejections.slice(0, 10).map((r) => ({ path: [r.item.kind, r.item.id], message: r.message })),
        ]),
      )
    }
  }

  /** One batch under the lock: read, send, settle, and record retry state. */
  const round = async (): Promise<Round> => {
    claimedElsewhere.clear() // Holding the lock, nobody else is sending.
    const retry = await queue.getMeta<RetryState>(RETRY_META)
    if (retry && retry.until > Date.now()) {
      retryUntil = retry.until
      return 'wait'
    }
    const items = await queue.read(options.batchSize)
    if (items.length === 0) return 'empty'
    for (const batch of chunkByBytes(items, MAX_BODY_BYTES)) {
      announce({ claim: batch.map((item) => item.key) })
      const outcome = await sendBatch(target, batch)
      await settle(outcome)
      if (outcome.retry.length > 0) {
        const attempt = (retry?.attempt ?? 0) + 1
        const wait = outcome.retryAfterMs ?? backoffMs(attempt - 1)
        retryUntil = Date.now() + wait
        const state: RetryState = { attempt, until: retryUntil, server: outcome.retryAfterMs !== undefined }
        await queue.setMeta(RETRY_META, state)
        stats.set({ retryAt: retryUntil })
        return 'wait'
      }
      if (retry) await queue.setMeta(RETRY_META, undefined)
      if (stats.get().retryAt !== undefined) stats.set({ retryAt: undefined })
    }
    return 'more'
  }

  const drain = async (): Promise<void> => {
    await queue.settled()
    while (!stopped) {
      const wait = retryUntil - Date.now()
      if (wait > 0) {
        schedule(wait)
        break
      }
      // navigator.onLine === false is reliable (true is not): wait for `online`.
      if (typeof navigator !== 'undefined' && navigator.onLine === false) break
      const result = await queue.withLock(round)
      refresh()
      if (!result.acquired) {
        if (queue.unsentCount > 0) schedule(LOCK_RETRY_MS)
        break
      }
      if (result.value === 'empty') break
      if (result.value === 'wait') {
        schedule(retryUntil - Date.now())
        break
      }
    }
    refresh()
  }

  let active: Promise<void> = Promise.resolve()
  let next: Promise<void> | undefined
  /** Runs a drain after the current one; calls while one is waiting share it. */
  const kick = (): Promise<void> => {
    if (next) return next
    next = active.then(() => {
      next = undefined
      active = drain().catch((error: unknown) => {
        options.report(error instanceof PollenError ? error : new PollenError('storage-unavailable', `Sending failed: ${String(error)}`))
      })
      return active
    })
    return next
  }

  return {
    kick,
    /** Called after items were added: send soon if a batch is full, else within the interval. */
    added() {
      refresh()
      schedule(queue.unsentCount >= options.batchSize ? 0 : options.flushInterval)
    },
    /**
     * Looks again: at start (items left by an earlier visit or a closed
     * tab), when the page is shown again, or when the network is back. Back
     * online, a wait caused by network failures ends at once; a wait the
     * server asked for (Retry-After) is still honoured.
     */
    wake(reason: 'start' | 'shown' | 'online') {
      const online = reason === 'online'
      unloaded.clear()
      unloadBytes = 0
      void (async () => {
        let retry = await queue.getMeta<RetryState>(RETRY_META)
        if (online && retry && !retry.server) {
          await queue.setMeta(RETRY_META, undefined)
          retry = undefined
        }
        retryUntil = retry?.until ?? 0
        if (reason !== 'shown' || queue.unsentCount > 0) schedule(Math.max(0, retryUntil - Date.now()))
      })().catch(() => undefined)
    },
    /**
     * The page is going away (or may be): hand what fits of this page's unsent
     * items to the browser synchronously. They stay in storage until a normal
     * send confirms them, so nothing is lost if the beacon is.
     */
    unload() {
      const items = queue.unsent().filter((item) => !claimedElsewhere.has(item.key) && !unloaded.has(item.key))
      if (items.length === 0) return
      const { sent, bytes } = sendOnUnload(target, items, unloadBytes)
      unloadBytes += bytes
      for (const item of sent) unloaded.add(item.key)
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      channel?.close()
    },
  }
}
