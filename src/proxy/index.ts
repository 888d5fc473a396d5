export { createProxyHandler } from './handler.js'
export { toNodeListener } from './node.js'
export type { ProxyOptions, ProxyContext, ProxyHandler, Authorization } from './options.js'
export type { RateLimit } from './rate-limit.js'
