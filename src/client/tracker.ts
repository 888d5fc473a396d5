import type { Queue } from '../queue/index.js'
import type { Delivery } from './delivery.js'
import { tellAll } from './stats.js'

/** Where the sending tab records updates it dropped, for pages that ask after a reload. */
export const DROPPED_META = 'dropped-updates'
/** How many dropped updates are remembered (oldest forgotten first). */
const DROPPED_KEPT = 200
/**
 * How many ends of refs no one tracks this page remembers (a disabled
 * client's votes), oldest forgotten first: a page that votes for hours
 * without consent must not grow without bound. A ref is tracked right after
 * its vote, long before this many more.
 */
const UNTRACKED_KEPT = 1000

/** An item's end, as the sender saw it: `[key, reason]` for a drop, `[key]` for a delivery. */
export type ItemEnd = [key: string, reason?: string]

type Listener = (delivery: Delivery) => void

/**
 * Answers {@link PollenClient.track}: follows refs through this page's mirror,
 * the ends the sender saw (this tab's and, over the channel, other tabs'), and,
 * for refs this page never held, storage and the drops the sending tab
 * recorded.
 */
export function createTracker(queue: Queue, isRetrying: (key: string) => boolean) {
  const listeners = new Map<string, Set<Listener>>()
  const told = new Map<string, string>()
  /** Final states seen by this page, for refs someone tracks. */
  const ended = new Map<string, Delivery>()

  const tell = (ref: string, delivery: Delivery) => {
    const said = JSON.stringify(delivery)
    if (told.get(ref) === said) return
    told.set(ref, said)
    tellAll(listeners.get(ref), delivery)
  }

  const queued = (key: string): Delivery => {
    // navigator.onLine === false is reliable (true is not).
    if (globalThis.navigator?.onLine === false) return { state: 'queued', waiting: 'offline' }
    return isRetrying(key) ? { state: 'queued', waiting: 'retry' } : { state: 'queued' }
  }

  /** What this page knows without storage, or undefined. */
  const known = (ref: string): Delivery | undefined => ended.get(ref) ?? (queue.holds(ref) ? queued(ref) : undefined)

  const lookUp = async (ref: string): Promise<Delivery> => {
    await queue.settled()
    const local = known(ref)
    if (local) return local
    if (await queue.has(ref)) return queued(ref)
    const dropped = (await queue.getMeta<ItemEnd[]>(DROPPED_META))?.find(([key]) => key === ref)
    if (dropped) return { state: 'dropped', reason: dropped[1] }
    // Neither stored nor recorded as dropped: it left the queue by delivery
    // (or so long ago that its drop was forgotten; drops are rare and recorded).
    return { state: 'sent' }
  }

  return {
    track(ref: string, listener: Listener): () => void {
      let set = listeners.get(ref)
      if (!set) listeners.set(ref, (set = new Set()))
      set.add(listener)
      void lookUp(ref).then(
        (delivery) => set.has(listener) && (told.delete(ref), tell(ref, delivery)),
        () => undefined,
      )
      return () => {
        set.delete(listener)
        if (set.size > 0) return
        listeners.delete(ref)
        told.delete(ref)
        ended.delete(ref)
      }
    },
    /**
     * Items left the queue (this tab's sends or another tab's). `remember`
     * keeps the end of refs no one tracks yet, for items that never reached
     * storage (a disabled client's).
     */
    ended(ends: ItemEnd[], remember = false) {
      for (const [key, reason] of ends) {
        if (!remember && !listeners.has(key)) continue
        const delivery: Delivery = reason === undefined ? { state: 'sent' } : { state: 'dropped', reason }
        ended.set(key, delivery)
        tell(key, delivery)
      }
      // Maps iterate oldest first: forget the oldest untracked ends past the cap.
      for (const key of ended.keys()) {
        if (ended.size <= UNTRACKED_KEPT + listeners.size) break
        if (!listeners.has(key)) ended.delete(key)
      }
    },
    /** Something that may change a queued item's wait happened (a failed send, offline, online). */
    changed() {
      for (const ref of listeners.keys()) {
        const delivery = known(ref)
        if (delivery) tell(ref, delivery)
      }
    },
  }
}

/** The tracker of {@link createTracker}. */
export type Tracker = ReturnType<typeof createTracker>

/** Adds drops to the recorded list, newest last, keeping the last {@link DROPPED_KEPT}. */
export function recordDrops(previous: ItemEnd[] | undefined, drops: ItemEnd[]): ItemEnd[] {
  return [...(previous ?? []), ...drops].slice(-DROPPED_KEPT)
}
