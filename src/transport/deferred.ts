import { sendOnUnload } from './beacon.js'
import type { Target, WireItem } from './wire.js'

/** `fetchLater()` as Chromium 135+ has it; absent elsewhere. */
type FetchLater = (url: string, init: RequestInit & { signal: AbortSignal }) => unknown

/**
 * Keeps a page's unsent items registered as deferred requests with
 * `fetchLater()` (Chromium 135 and later), within the unload budget. The
 * browser sends them when the document goes away however it goes, also when
 * the tab is discarded or its renderer crashes, where no `pagehide` runs and
 * no beacon can be sent. The items stay in storage, so the next visit sends
 * what the browser did not. Proxy mode only: the proxy takes a repeat of what
 * a normal send delivered meanwhile without forwarding it.
 */
export function createDeferredSend(target: Target) {
  const later = (globalThis as { fetchLater?: FetchLater }).fetchLater
  let registered: AbortController[] = []
  const clear = () => {
    for (const controller of registered) controller.abort()
    registered = []
  }
  const available = typeof later === 'function' && target.mode === 'proxy'
  return {
    /** Whether this browser has `fetchLater()` and the target is a proxy. */
    available,
    /** Replaces the registrations with as many of `items` (oldest first) as fit the unload budget. */
    set(items: WireItem[]): void {
      clear()
      if (!available) return
      // A QuotaExceededError (beacons of this page hold the budget) stops here; the next change tries again.
      // Plain JSON: the registration is made again whenever the items change, too often to gzip each time on the main thread.
      sendOnUnload(target, items, 0, (request) => {
        const controller = new AbortController()
        later!(request.url, { ...request, signal: controller.signal })
        registered.push(controller)
        return true
      }, false)
    },
    /** Drops the registrations, so that the unload path's beacons get the budget. */
    clear,
  }
}

export type DeferredSend = ReturnType<typeof createDeferredSend>
