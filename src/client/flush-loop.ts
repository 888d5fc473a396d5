import { PollenError } from '../errors.js'
import type { Queue } from '../queue/index.js'
import type { RetryState } from './retry-state.js'

/** How soon to look again when another tab holds the send lock. */
const LOCK_RETRY_MS = 1000

/** How a round ended: more may wait, storage is empty, or sends wait for a retry. */
export type Round = 'more' | 'empty' | 'wait'

/**
 * The timer and the flush: a flush runs rounds (`round`, under the send lock)
 * until storage is empty, a retry must wait (then the timer is armed for its
 * end), the browser is offline, or another tab holds the lock. Flushes run one
 * after another; calls while one waits share it. `refresh` is called after
 * each round and each flush: counts may have changed.
 */
export function createFlushLoop(queue: Queue, round: () => Promise<Round>, retry: RetryState, refresh: () => void, report: (error: PollenError) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined
  /** When the timer fires (epoch ms); Infinity while it is not armed. */
  let timerAt = Infinity
  let stopped = false

  /** Arms the timer for `delay` ms from now unless an earlier run is already due. */
  const schedule = (delay: number) => {
    const wait = Math.max(0, delay)
    const at = Date.now() + wait
    if (stopped || timerAt <= at) return
    clearTimeout(timer)
    timerAt = at
    timer = setTimeout(() => {
      timerAt = Infinity
      void flush()
    }, wait)
  }

  const sendRounds = async (): Promise<void> => {
    await queue.settled()
    while (!stopped) {
      const wait = retry.until - Date.now()
      if (wait > 0) {
        schedule(wait)
        break
      }
      // navigator.onLine === false is reliable (true is not): wait for `online`.
      if (globalThis.navigator?.onLine === false) break
      const result = await queue.withLock(round)
      refresh()
      if (!result.acquired) {
        if (queue.unsentCount > 0) schedule(LOCK_RETRY_MS)
        break
      }
      if (result.value === 'empty') break
      if (result.value === 'wait') {
        schedule(retry.until - Date.now())
        break
      }
    }
    refresh()
  }

  let active: Promise<void> = Promise.resolve()
  let next: Promise<void> | undefined
  /** Runs a flush after the current one; calls while one is waiting share it. */
  const flush = (): Promise<void> => {
    if (next) return next
    next = active.then(() => {
      next = undefined
      active = sendRounds().catch((error: unknown) => {
        report(error instanceof PollenError ? error : new PollenError('storage-unavailable', `Sending failed: ${String(error)}`))
      })
      return active
    })
    return next
  }

  return {
    flush,
    schedule,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
