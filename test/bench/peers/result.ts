/** What the peers bench measured: one result per library row, one size per library. */
import type { Library } from './library.js'

export interface Size {
  /** The entry bundled, e.g. `export { default } from 'posthog-js'`. */
  entry: string
  min: number
  gzip: number
}

export interface PeerResult {
  key: string
  library: Library
  label: string
  /** The call measured, as an app writes it. */
  call: string
  /** Settings that are not the library's defaults, and why. */
  settings: string
  perCall: {
    medianUs: number
    p99Us: number
    /** Calls timed (fewer than asked when the time budget ran out). */
    timed: number
    /** Timed calls that returned something: the library took the event. */
    returned: number
    warmed: number
    /** The pause between tasks (ms) that stopped the warm-up or the timed calls, if one did. */
    stalledMs?: number
    /** How long the warm-up's events took to reach the server; undefined when they had not after the wait. */
    drainedMs?: number
    clockStepUs: number
  }
  burst: {
    calls: number
    /** First call → last call returned, ms. */
    callsMs: number
    /** Main-thread time inside the calls ÷ calls, µs. */
    callUs: number
    /** The pause between tasks (ms) that stopped the calls, if one did. */
    stalledMs?: number
    /** Calls that returned something: events the library took. */
    returned: number
    /** Events the library took and then discarded, by its own count (Pollen: stats().dropped). */
    discarded: number
    /** Distinct events the server got. */
    delivered: number
    duplicates: number
    /** Every event the library took arrived. */
    complete: boolean
    /** First call → the last event's arrival, s. */
    seconds: number
    eventsPerSecond: number
    /** Requests to the library's API during the run, bodies' bytes. */
    requests: number
    bytes: number
    longTasks: number
    longTaskMs: number
    longestTaskMs: number
    /** First call → end of the wait for delivery: the span the long tasks were counted over. */
    observedMs: number
    /** What the library reports about itself (Pollen: stats()). */
    report?: unknown
  }
}
