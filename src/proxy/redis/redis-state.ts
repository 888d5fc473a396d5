import type { RateLimit } from '../rate-limit.js'
import type { ProxyState } from '../state.js'

/**
 * A connected Redis client: `redis` (node-redis, with `sendCommand`) or
 * `ioredis` (with `call`). Create it with its offline queue off and a short
 * command timeout, so that a Redis that is down answers at once instead of
 * holding commands (see the README); the proxy bounds every call anyway.
 */
export type RedisClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> }

/** Options of {@link createRedisState}. */
export interface RedisStateOptions {
  /**
   * Put before every key, so that Pollen's keys stay apart from the app's.
   * @default 'pollen:'
   */
  prefix?: string
}

/** Compare-and-set: ARGV = expected? (0 absent, 1 value), expected, set? (0 delete, 1 set), next, ttl ms. */
const SWAP = `local v = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then if v then return 0 end elseif v ~= ARGV[2] then return 0 end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5]) else redis.call('DEL', KEYS[1]) end
return 1`

/** Token bucket on Redis's own clock, so that instances with skewed clocks agree. ARGV = size, refill ms. */
const TAKE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local size = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = math.min(size, (tonumber(b[1]) or size) + (now - (tonumber(b[2]) or now)) * size / per)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * per / size) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', KEYS[1], per)
return wait`

/**
 * A {@link ProxyState} in Redis, shared by every proxy instance given the
 * same Redis: each creation is forwarded once across all of them, and the
 * rate limit counts their requests together. Claims are `SET NX PX`; other
 * changes are small scripts, so that two instances racing on one id never
 * both win.
 *
 * @example
 * import { createClient } from 'redis'
 * import { createRedisState } from 'pollen/proxy/redis'
 * const redis = await createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true, commandOptions: { timeout: 200 } }).connect()
 * export const POST = createProxyHandler({ apiKey, project, state: createRedisState(redis) })
 */
export function createRedisState(client: RedisClient, options: RedisStateOptions = {}): ProxyState {
  const prefix = options.prefix ?? 'pollen:'
  const send = (args: string[]): Promise<unknown> =>
    'sendCommand' in client ? client.sendCommand(args) : client.call(args[0]!, ...args.slice(1))
  const ms = (ttl: number) => String(Math.max(1, Math.ceil(ttl)))

  return {
    async get(key) {
      const value = await send(['GET', prefix + key])
      return value === null || value === undefined ? undefined : String(value)
    },
    async swap(key, expected, next, ttlMs) {
      if (expected === undefined && next !== undefined) return (await send(['SET', prefix + key, next, 'NX', 'PX', ms(ttlMs)])) !== null
      const args = [expected === undefined ? '0' : '1', expected ?? '', next === undefined ? '0' : '1', next ?? '', ms(ttlMs)]
      return Number(await send(['EVAL', SWAP, '1', prefix + key, ...args])) === 1
    },
    async take(key, limit: RateLimit) {
      return Number(await send(['EVAL', TAKE, '1', prefix + key, String(limit.requests), String(limit.perMs)]))
    },
  }
}
