import type { Queue } from '../queue/index.js'
import type { ItemEnd } from './tracker.js'

/**
 * What tabs tell each other: keys being sent (first {@link READING}, then what
 * was read), sent or dropped (`done`, with `dropped` reasons), or handed back.
 */
export interface ChannelMessage {
  claim?: string[]
  done?: string[]
  dropped?: ItemEnd[]
  release?: string[]
  /** A tab purged the queue: every tab forgets what it holds unsent. */
  purge?: true
}

/**
 * The key a tab claims when it takes the send lock, and releases when it
 * claims what it read: meanwhile it may send anything storage holds, so the
 * other tabs' unload path leaves that to it. No item has this key, and tabs of
 * an older release, which do not know it, claim and release it like any other.
 */
export const READING = '*'

/**
 * The BroadcastChannel between the tabs of an origin. The sending tab says
 * which keys it is sending, which it hands back and what became of them, so
 * that the other tabs' unload path leaves those items to it, their eviction
 * spares them, and their trackers hear the end. `done(ends)` is called with
 * the ends of another tab's finished items, `purged()` when another tab purged.
 */
export function openTabChannel(name: string, queue: Queue, done: (ends: ItemEnd[]) => void, purged: () => void) {
  /** Keys another tab announced it is sending; our unload path leaves them to it. */
  const claimed = new Set<string>()
  /** Another tab's send starts (`on`) or ends: our unload path leaves its items to it, and eviction spares them. */
  const setClaimed = (keys: string[] | undefined, on: boolean) => {
    if (!keys) return
    queue.protect(keys, on)
    for (const key of keys) {
      if (on) claimed.add(key)
      else claimed.delete(key)
    }
  }
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined
  if (channel) {
    channel.onmessage = (message: MessageEvent<ChannelMessage>) => {
      const { claim, done: finished, dropped, release, purge } = message.data ?? {}
      if (purge) purged()
      setClaimed(claim, true)
      setClaimed(release, false)
      if (finished) {
        setClaimed(finished, false)
        queue.forget(finished)
        const reasons = new Map(dropped?.map(([key, reason]) => [key, reason]))
        done(finished.map((key): ItemEnd => [key, reasons.get(key)]))
      }
    }
  }

  return {
    /** Whether another tab announced it is sending `key`. */
    claimed: (key: string) => claimed.has(key),
    /** Forgets other tabs' claims: holding the send lock, nobody else is sending (a tab that died mid-send left its claims). */
    dropClaims() {
      queue.protect(claimed, false)
      claimed.clear()
    },
    announce(message: ChannelMessage) {
      try {
        channel?.postMessage(message)
      } catch {
        // A closed channel (page going away) has no one left to tell.
      }
    },
    close: () => channel?.close(),
  }
}

/** The channel of {@link openTabChannel}. */
export type TabChannel = ReturnType<typeof openTabChannel>
