import type { RateLimit } from './rate-limit.js'

/**
 * What a Pollen proxy remembers between requests, shared by every instance
 * given the same one: which event and session ids it forwarded (so that a
 * repeat is answered without forwarding it again), the newest update
 * forwarded per event, and the rate-limit buckets.
 *
 * The default lives in the process's memory ({@link createMemoryState}); for
 * several instances (serverless functions, a fleet behind a load balancer)
 * use `createRedisState` from `pollen/proxy/redis`, or implement these three
 * methods on any service with atomic compare-and-set and expiry: Upstash
 * Redis (the same commands), a Durable Object (one per key prefix). An
 * eventually consistent store such as Cloudflare KV cannot: two instances
 * would both see an id as free, and both forward it.
 *
 * Any method may reject or be slow. The proxy gives each call a short
 * deadline and then goes on without it, forwarding as if it had no memory:
 * a duplicate is possible while the state is away, a loss never.
 */
export interface ProxyState {
  /** The value at `key`, or `undefined` when there is none or it expired. */
  get(key: string): Promise<string | undefined>
  /**
   * Atomically, only if the value at `key` is `expected` now (`undefined`:
   * only if there is none): sets it to `next`, expiring after `ttlMs`, or
   * deletes it when `next` is `undefined`. Resolves whether it did.
   * In Redis: `SET key next NX PX ttlMs` for a claim, a script otherwise.
   */
  swap(key: string, expected: string | undefined, next: string | undefined, ttlMs: number): Promise<boolean>
  /**
   * Takes a token from the bucket at `key`, which holds `limit.requests`
   * tokens and refills over `limit.perMs`. Atomic. Resolves 0 when a token
   * was taken, else the ms until one is free.
   */
  take(key: string, limit: RateLimit): Promise<number>
}
