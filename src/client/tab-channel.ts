import type { Queue } from '../queue/index.js'
import type { ItemEnd } from './tracker.js'

/** What tabs tell each other: keys being sent, sent or dropped (`done`, with `dropped` reasons), or handed back. */
export interface ChannelMessage {
  claim?: string[]
  done?: string[]
  dropped?: ItemEnd[]
  release?: string[]
}

/**
 * The BroadcastChannel between the tabs of an origin. The sending tab says
 * which keys it is sending, which it hands back and what became of them, so
 * that the other tabs' unload path leaves those items to it, their eviction
 * spares them, and their trackers hear the end. `done(keys, ends)` is called
 * for another tab's finished keys.
 */
export function openTabChannel(name: string, queue: Queue, done: (keys: string[], ends: ItemEnd[]) => void) {
  /** Keys another tab announced it is sending; our unload path leaves them to it. */
  const claimed = new Set<string>()
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined
  if (channel) {
    channel.onmessage = (message: MessageEvent<ChannelMessage>) => {
      const { claim, done: finished, dropped, release } = message.data ?? {}
      // Another tab's send: our unload path leaves those items to it, and eviction spares them.
      if (claim) {
        for (const key of claim) claimed.add(key)
        queue.protect(claim, true)
      }
      if (release) {
        for (const key of release) claimed.delete(key)
        queue.protect(release, false)
      }
      if (finished) {
        queue.protect(finished, false)
        for (const key of finished) claimed.delete(key)
        queue.forget(finished)
        const reasons = new Map(dropped?.map(([key, reason]) => [key, reason ?? '']))
        done(finished, finished.map((key): ItemEnd => (reasons.has(key) ? [key, reasons.get(key)] : [key])))
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
