#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startCollector } from './server.js'

const usage = `Usage: pollen-collector [--port 8787] [--host 127.0.0.1] [--db .pollen/events.db] [--api-key KEY]

A local store that speaks HoneyHive's Events API on SQLite.`

let values: { port?: string; host?: string; db?: string; 'api-key'?: string; help?: boolean }
try {
  ;({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: '.pollen/events.db' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }))
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a port number, got ${values.port}\n\n${usage}`)
  process.exit(2)
}

const collector = await startCollector({ port, host: values.host, db: values.db, apiKey: values['api-key'] })
console.log(`pollen-collector listening on ${collector.url} (db: ${values.db}${values['api-key'] ? ', API key required' : ', open'})`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void collector.close().then(() => {
      console.log('pollen-collector stopped')
      process.exit(0)
    })
  })
}
