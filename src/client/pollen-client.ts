import type { UpdateFields } from '../schema/index.js'
import type { Delivery } from './delivery.js'
import type { LogInput } from './event.js'
import type { ClientRecords } from './records.js'
import type { Span } from './span.js'
import type { ClientStats } from './stats.js'

/** The client returned by {@link createClient}. */
export interface PollenClient {
  /** The session this client's events belong to. */
  readonly sessionId: string
  /**
   * Validates and queues an event; returns its `event_id` at once. Throws
   * `PollenError('invalid-event')` naming each bad path; then nothing is queued.
   */
  log(event: LogInput): string
  /** Starts a timed event; it is logged by `span.end()`. Validates now, throws like `log()`. */
  start(event: LogInput): Span
  /**
   * Attaches end-user feedback (`rating`, `comment`, …) to an event, with the
   * user's properties (merged over the client's `userProperties`). Returns the
   * queued update's ref, for {@link PollenClient.track}.
   */
  feedback(eventId: string, feedback: Record<string, unknown>, userProperties?: Record<string, unknown>): string
  /**
   * Updates any field HoneyHive lets you update: metadata, feedback, metrics,
   * outputs, config, user_properties, duration. Returns the queued update's ref.
   */
  update(eventId: string, fields: UpdateFields): string
  /**
   * Follows one update to the server: calls `listener` soon with where the
   * item stands, then at each change (queued → sent or dropped). Works for
   * refs from an earlier page of the origin too (a vote restored after a
   * reload). Returns the function that stops listening.
   */
  track(ref: string, listener: (delivery: Delivery) => void): () => void
  /** Small durable values beside the queue; the feedback widget keeps its votes here. */
  readonly records: ClientRecords
  /** Sends what is pending now; resolves when done or when the server asked to wait. Never rejects. */
  flush(): Promise<void>
  /** Flushes, then stops timers and listeners. Later calls to `log()` throw `client-closed`. */
  close(): Promise<void>
  /** What the client has done so far. */
  stats(): ClientStats
  /** Calls `listener` now and after every change of the stats; returns the unsubscribe function. */
  subscribe(listener: (stats: ClientStats) => void): () => void
  /** Whether the client logs (see the `enabled` option, `enable()` and `disable()`). */
  readonly enabled: boolean
  /**
   * Starts logging, e.g. once the user consented: later calls are stored and
   * sent, and so is what was queued before a `disable()`. Calls made while
   * disabled are not: nothing of them was kept.
   */
  enable(): void
  /**
   * Stops logging in this page: later calls store and send nothing (counted
   * as `disabled` drops), and nothing more is sent, not even at unload. What
   * was queued stays stored for a later `enable()`, unless `purge: true`
   * deletes it as {@link PollenClient.purge} does.
   */
  disable(options?: { purge?: boolean }): Promise<void>
  /**
   * Deletes everything this client's queue holds in the browser, for every tab
   * of the origin: queued events and updates (IndexedDB, localStorage spills,
   * each tab's memory), the widget's votes and every other record. Nothing
   * purged is sent afterwards. For a logout or a user's request to be
   * forgotten; a request already on the wire cannot be called back. Resolves
   * once storage is empty.
   */
  purge(): Promise<void>
}
