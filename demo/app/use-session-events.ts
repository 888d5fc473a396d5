import type { PollenClient } from 'pollen'
import { useEffect } from 'preact/hooks'
import { exportSession } from '../api.js'
import { collector } from '../state.js'

/** How often the collector is asked while the inspector shows. */
const POLL_MS = 1500

/**
 * Keeps {@link collector} up to date with the session's stored events: every
 * 1.5 s while `active` and the tab is visible, and right after the client
 * reports more items sent.
 */
export function useSessionEvents(hh: PollenClient, project: string, active: boolean): void {
  useEffect(() => {
    if (!active) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let running = false
    let again = false
    let stopped = false

    const poll = async () => {
      clearTimeout(timer)
      if (running) again = true
      if (stopped || running || document.visibilityState !== 'visible') return
      running = true
      try {
        collector.value = { events: await exportSession(project, hh.sessionId), at: Date.now() }
      } catch (error) {
        // Keep the last tree: while the fault switch is on, the collector answers 500 or 429.
        collector.value = { ...collector.value, error: error instanceof Error ? error.message : String(error) }
      } finally {
        running = false
        // Items were sent while this request was out: ask again now rather than in 1.5 s.
        if (!stopped) timer = setTimeout(poll, again ? 0 : POLL_MS)
        again = false
      }
    }

    let sent = hh.stats().sent
    const stopStats = hh.subscribe((stats) => {
      if (stats.sent === sent) return
      sent = stats.sent
      void poll()
    })
    const onVisibility = () => void poll()
    document.addEventListener('visibilitychange', onVisibility)
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
      stopStats()
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [hh, project, active])
}
