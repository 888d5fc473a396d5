import { createRateLimiter, type RateLimit } from './rate-limit.js'
import type { ProxyState } from './state.js'

/** Options of {@link createMemoryState}. */
export interface MemoryStateOptions {
  /**
   * Most keys kept; past it the least recently used go first.
   * @default 100000 (about 15 MB)
   */
  maxKeys?: number
  /** The clock (tests). @default Date.now */
  now?: () => number
}

/**
 * A {@link ProxyState} in this process's memory: the default. Right for one
 * long-lived instance; several instances each remember only their own
 * forwards, so give them a shared one (`pollen/proxy/redis`).
 */
export function createMemoryState(options: MemoryStateOptions = {}): ProxyState {
  const now = options.now ?? Date.now
  const maxKeys = options.maxKeys ?? 100_000
  const entries = new Map<string, { value: string; until: number }>()
  const limiters = new Map<string, ReturnType<typeof createRateLimiter>>()

  /** The live entry of `key`, now the most recently used. */
  const read = (key: string) => {
    const entry = entries.get(key)
    entries.delete(key)
    if (!entry || entry.until <= now()) return undefined
    entries.set(key, entry)
    return entry
  }

  return {
    get: async (key) => read(key)?.value,
    async swap(key, expected, next, ttlMs) {
      if (read(key)?.value !== expected) return false
      entries.delete(key)
      if (next !== undefined) entries.set(key, { value: next, until: now() + ttlMs })
      if (entries.size > maxKeys) entries.delete(entries.keys().next().value!)
      return true
    },
    async take(key, limit: RateLimit) {
      const name = `${limit.requests}/${limit.perMs}`
      let limiter = limiters.get(name)
      if (!limiter) limiters.set(name, (limiter = createRateLimiter(limit, now)))
      return limiter.take(key)
    },
  }
}
