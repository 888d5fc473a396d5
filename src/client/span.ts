import type { LogInput } from './event.js'

/** Fields a span may add or change when it ends. */
export type SpanEnd = Partial<Omit<LogInput, 'event_id' | 'event_type' | 'start_time' | 'end_time' | 'duration'>>

/**
 * A timed event: its id is known at once (so children can name it as their
 * `parent_id`), and it is logged when `end()` is called, with `duration`
 * measured by `performance.now()`.
 */
export interface Span {
  /** The event id the span will be logged under. */
  readonly id: string
  /** Logs the span with the given fields merged over its start input. Returns the id. Throws if called twice. */
  end(fields?: SpanEnd): string
}
