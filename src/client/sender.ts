import { PollenError } from '../errors.js'
import type { Queue, QueueItem } from '../queue/index.js'
import { backoffMs, chunkByBytes, MAX_BODY_BYTES, mergeOutcome, sendBatch, sendOnUnload, type Outcome, type Target } from '../transport/index.js'
import type { createStatsStore } from './stats.js'
import { DROPPED_META, recordDrops, type Outcome as End } from './tracker.js'

/** How soon to look again when another tab holds the send lock. */
const LOCK_RETRY_MS = 1000
/** A round reads up to this many batches when a backlog has built up. */
const ROUND_BATCHES = 20
/** Requests of one round in flight at once (browsers allow 6 per host over HTTP/1.1). */
const ROUND_PARALLEL = 4
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
  /** Items left the queue, sent (`[key]`) or dropped (`[key, reason]`), by this tab or another. */
  ended(ends: End[]): void
  /** The pending or retrying items changed. */
  changed(): void
}

/** What tabs tell each other: keys being sent, sent or dropped (`done`, with `dropped` reasons), or handed back. */
interface ChannelMessage {
  claim?: string[]
  done?: string[]
  dropped?: End[]
  release?: string[]
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
    channel.onmessage = (message: MessageEvent<ChannelMessage>) => {
      const { claim, done, dropped, release } = message.data ?? {}
      // Another tab's send: our unload path leaves those items to it, and eviction spares them.
      if (claim) {
        for (const key of claim) claimedElsewhere.add(key)
        queue.protect(claim, true)
      }
      if (release) {
        for (const key of release) claimedElsewhere.delete(key)
        queue.protect(release, false)
      }
      if (done) {
        queue.protect(done, false)
        for (const key of done) {
          claimedElsewhere.delete(key)
          failed.delete(key)
        }
        queue.forget(done)
        const reasons = new Map(dropped?.map(([key, reason]) => [key, reason ?? '']))
        options.ended(done.map((key): End => (reasons.has(key) ? [key, reasons.get(key)] : [key])))
        refresh()
      }
    }
  }
  const announce = (message: ChannelMessage) => {
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
    options.changed()
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
    const drops = outcome.rejected.map((r): End => [r.item.key, `${r.code}: ${r.message}`])
    announce({ done, dropped: drops, release: outcome.retry.map((item) => item.key) })
    options.ended([...outcome.delivered.map((item): End => [item.key]), ...drops])
    // A page that reloads and asks about its vote finds drops here; anything else gone from storage was sent.
    const droppedUpdates = drops.filter((_, i) => outcome.rejected[i]!.item.kind === 'update')
    if (droppedUpdates.length > 0) await queue.setMeta(DROPPED_META, recordDrops(await queue.getMeta<End[]>(DROPPED_META), droppedUpdates))
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

  /**
   * Sends what one round read. Up to `batchSize` items (under MAX_BODY_BYTES)
   * go in one request. More, or larger ones, go in requests of up to MAX_BODY_BYTES,
   * ROUND_PARALLEL at a time: creates first (the chunk holding a session start
   * before the others), then updates, which may target those events, in order.
   */
  const sendRound = async (items: QueueItem[]): Promise<Outcome> => {
    let bytes = 0
    for (const item of items) bytes += item.bytes
    if (items.length <= options.batchSize && bytes < MAX_BODY_BYTES) return sendBatch(target, items)
    const outcome: Outcome = { delivered: [], rejected: [], retry: [] }
    const add = (part: Outcome) => mergeOutcome(outcome, part)
    const creates = chunkByBytes(items.filter((item) => item.kind !== 'update'), MAX_BODY_BYTES)
    const updates = items.filter((item) => item.kind === 'update')
    if (creates[0]?.some((item) => item.kind === 'session')) add(await sendBatch(target, creates.shift()!))
    for (let i = 0; i < creates.length; i += ROUND_PARALLEL) {
      for (const part of await Promise.all(creates.slice(i, i + ROUND_PARALLEL).map((chunk) => sendBatch(target, chunk)))) add(part)
    }
    if (outcome.retry.length > 0) {
      // An update must not overtake the creation of its event: hold them all.
      outcome.retry.push(...updates)
      return outcome
    }
    for (const chunk of chunkByBytes(updates, MAX_BODY_BYTES)) add(await sendBatch(target, chunk))
    return outcome
  }

  /** One round under the lock: read, send, settle, and record retry state. */
  const round = async (): Promise<Round> => {
    // Holding the lock, nobody else is sending (a tab that died mid-send left its claims).
    queue.protect(claimedElsewhere, false)
    claimedElsewhere.clear()
    const retry = await queue.getMeta<RetryState>(RETRY_META)
    if (retry && retry.until > Date.now()) {
      retryUntil = retry.until
      return 'wait'
    }
    const items = await queue.read(options.batchSize * ROUND_BATCHES)
    if (items.length === 0) return 'empty'
    const keys = items.map((item) => item.key)
    announce({ claim: keys })
    queue.protect(keys, true)
    let outcome: Outcome
    try {
      outcome = await sendRound(items)
      await settle(outcome)
    } finally {
      queue.protect(keys, false)
    }
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
      queue.spill()
      const items = queue.unsent().filter((item) => !claimedElsewhere.has(item.key) && !unloaded.has(item.key))
      if (items.length === 0) return
      const { sent, bytes } = sendOnUnload(target, items, unloadBytes)
      unloadBytes += bytes
      for (const item of sent) unloaded.add(item.key)
    },
    /** Whether this page's send of `key` failed and waits for a retry. */
    retrying: (key: string) => failed.has(key),
    /** Items that left the queue without a send (evicted): no longer retrying. */
    forget(keys: string[]) {
      for (const key of keys) {
        failed.delete(key)
        unloaded.delete(key)
      }
      refresh()
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      channel?.close()
    },
  }
}
