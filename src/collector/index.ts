export { createCollector, startCollector } from './server.js'
export type { Collector, CollectorOptions } from './server.js'
export type { ListenOptions } from './listen.js'
export type { CollectorCounts } from './db.js'
