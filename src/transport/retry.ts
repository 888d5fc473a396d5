/** First retry waits up to this long (full jitter: anywhere from 0 to it). */
export const BACKOFF_BASE_MS = 1000
/** No backoff waits longer than this. */
export const BACKOFF_CAP_MS = 5 * 60_000
/** A server's Retry-After is honoured up to this long. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000

/**
 * Exponential backoff with full jitter: a random wait between 0 and
 * `min(cap, base * 2^attempt)`, so that many clients coming back after an
 * outage do not all knock at once. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns the wait
 * in ms, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Math.min(RETRY_AFTER_CAP_MS, Number(text) * 1000)
  // An HTTP date always has a weekday or month name; Date.parse alone would take "-5" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(date)) return undefined
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, date - now))
}

/** Statuses worth retrying: timeouts, rate limits and server errors. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}
