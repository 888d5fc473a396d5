/** First retry waits up to this long (full jitter: anywhere from 0 to it). */
export const BACKOFF_BASE_MS = 1000
/** No backoff waits longer than this. */
export const BACKOFF_CAP_MS = 5 * 60_000

/**
 * Exponential backoff with full jitter: a random wait between 0 and
 * `min(cap, base * 2^attempt)`, so that many clients coming back after an
 * outage do not all knock at once. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}
