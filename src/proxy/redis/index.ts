export { createRedisState, type RedisClient, type RedisStateOptions } from './redis-state.js'
export type { ProxyState } from '../state.js'
