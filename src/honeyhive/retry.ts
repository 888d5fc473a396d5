/** A server's Retry-After is honoured up to this long. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000

/**
 * Statuses worth retrying: timeouts, rate limits and server errors, as
 * HoneyHive's own clients retry them (408, 429, 5xx).
 */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
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
