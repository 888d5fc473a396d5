/** A snapshot of what the client has done, for dashboards and tests. */
export interface ClientStats {
  /** Items this page accepted that the server has not yet confirmed. */
  pending: number
  /** Items this page delivered (the server confirmed them), its own or other tabs'. */
  sent: number
  /** Pending items that failed at least once and wait for a retry. */
  retrying: number
  /** Items given up on, all reasons together. */
  dropped: number
  /** Dropped items by reason: `queue-full`, `before-send`, `expired`, `disabled`, `purged`, or the server's code (`http-400`, …). */
  drops: Record<string, number>
  /** Where the queue lives now. */
  storage: 'indexeddb' | 'memory'
  /** When the next retry is due (epoch ms), while the server is failing. */
  retryAt?: number
}

/** Calls each of the page's `listeners` with `value`; one that throws stops neither delivery nor the others. */
export function tellAll<T>(listeners: Iterable<(value: T) => void> | undefined, value: T): void {
  for (const listener of [...(listeners ?? [])]) {
    try {
      listener(value)
    } catch {
      // A listener's bug is the page's; the background path goes on.
    }
  }
}

/** Holds the stats and tells subscribers once per task, however many changes it saw. */
export function createLiveStats(initial: ClientStats) {
  let current = initial
  const listeners = new Set<(stats: ClientStats) => void>()
  let queued = false
  const notify = () => {
    queued = false
    tellAll(listeners, current)
  }
  return {
    get: () => current,
    /** Changes some stats; a patch that changes nothing tells no one. */
    set(patch: Partial<ClientStats>) {
      let changed = false
      for (const name in patch) if (patch[name as keyof ClientStats] !== current[name as keyof ClientStats]) changed = true
      if (!changed) return
      current = { ...current, ...patch }
      if (!queued && listeners.size > 0) {
        queued = true
        queueMicrotask(notify)
      }
    },
    drop(reason: string, count: number) {
      if (count === 0) return
      this.set({ dropped: current.dropped + count, drops: { ...current.drops, [reason]: (current.drops[reason] ?? 0) + count } })
    },
    subscribe(listener: (stats: ClientStats) => void): () => void {
      listeners.add(listener)
      listener(current)
      return () => listeners.delete(listener)
    },
  }
}

/** The client's stats as they change, with their subscribers. */
export type LiveStats = ReturnType<typeof createLiveStats>
