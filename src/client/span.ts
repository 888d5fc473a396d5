import { PollenError } from '../errors.js'
import type { HoneyHiveEvent } from '../schema/index.js'
import { buildEvent, fillEvent, type EventContext, type LogInput } from './event.js'

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

/**
 * Starts a span of `input`, validated now so that mistakes surface at
 * `start()`. `end()` checks the client is open (`ensureOpen` throws if not)
 * and logs the event through `accept`.
 */
export function startSpan(input: LogInput, context: EventContext, accept: (event: HoneyHiveEvent) => string, ensureOpen: () => void): Span {
  const startTime = Date.now()
  const t0 = performance.now()
  const first = fillEvent(input, context, startTime)
  buildEvent(first, context.maxEventBytes)
  let ended = false
  return {
    id: first.event_id!,
    end(fields?: SpanEnd) {
      ensureOpen()
      if (ended) throw new PollenError('invalid-event', `Span ${first.event_id} already ended`)
      const duration = performance.now() - t0
      const event = fillEvent({
        ...input,
        ...fields,
        event_id: first.event_id,
        start_time: startTime,
        end_time: startTime + Math.round(duration),
        duration,
      }, context)
      ended = true
      return accept(event)
    },
  }
}
