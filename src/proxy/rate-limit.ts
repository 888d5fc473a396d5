/** How many requests a client may make per window. */
export interface RateLimit {
  /** Requests allowed per window (the bucket's size). */
  requests: number
  /** Window in ms in which the bucket refills completely. */
  perMs: number
}

const MAX_KEYS = 10_000

/**
 * Token buckets by key. A bucket holds up to `requests` tokens and refills
 * continuously over `perMs`; each request takes one. Keys beyond MAX_KEYS push
 * out the least recently used, so memory stays bounded under a flood.
 */
export function createRateLimiter(limit: RateLimit, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const rate = limit.requests / limit.perMs
  return {
    /** Takes a token for `key`: 0 when allowed, else ms until one is free. */
    take(key: string): number {
      const time = now()
      const bucket = buckets.get(key) ?? { tokens: limit.requests, at: time }
      buckets.delete(key)
      bucket.tokens = Math.min(limit.requests, bucket.tokens + (time - bucket.at) * rate)
      bucket.at = time
      buckets.set(key, bucket)
      if (buckets.size > MAX_KEYS) buckets.delete(buckets.keys().next().value!)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil((1 - bucket.tokens) / rate)
    },
  }
}
