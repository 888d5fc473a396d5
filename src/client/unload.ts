import type { Queue } from '../queue/index.js'
import { sendOnUnload, type Target } from '../transport/index.js'
import { READING, type TabChannel } from './tab-channel.js'

/**
 * The page's unload path. What it hands to the browser stays in storage until
 * a normal send confirms it, so nothing is lost if the beacon is; within one
 * hidden period each item goes once, and the keepalive budget is shared.
 */
export function createUnloadPath(target: Target, queue: Queue, channel: TabChannel) {
  /**
   * Keys this page already handed to the unload path during this hidden
   * period. Keys that leave the queue stay until the page is shown again:
   * they can never come back, and one hidden period hands each item once.
   */
  const handed = new Set<string>()
  let bytes = 0

  return {
    /**
     * The page is going away (or may be): hand what fits of this page's unsent
     * items to the browser synchronously, leaving to another tab what it is
     * sending: what it claimed, and while it reads, all that storage holds.
     */
    send() {
      const unstored = queue.spill()
      const items = (channel.claimed(READING) && unstored) || queue.unsent()
      const result = sendOnUnload(target, items.filter((item) => !channel.claimed(item.key) && !handed.has(item.key)), bytes)
      bytes += result.bytes
      for (const item of result.sent) handed.add(item.key)
    },
    /** The page is shown again: the next hidden period starts afresh. */
    reset() {
      handed.clear()
      bytes = 0
    },
  }
}
