#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startCollector } from '../collector/server.js'
import { startSite } from './site.js'

const usage = `Usage: pollen-collector [--port 8787] [--host 127.0.0.1] [--db .pollen/events.db] [--api-key KEY]
                        [--allow-origin ORIGIN]... [--allow-host NAME]... [--static DIR --project NAME]

A local store that speaks HoneyHive's Events API on SQLite.

Web pages may call it from its own origin only: --allow-origin lets pages of
ORIGIN (e.g. http://localhost:5173; repeat it or separate with commas; * for
any website) read and write it. On a loopback --host it answers only requests
addressed to localhost or 127.0.0.1 (against DNS rebinding): --allow-host adds
a host name.

With --static, one server for a shared test deployment: the files of DIR at /
(e.g. the demo's build, dist/demo), the Pollen proxy at /api/pollen for project
NAME, and the collector's API at /honeyhive.`

let values: {
  port?: string
  host?: string
  db?: string
  'api-key'?: string
  'allow-origin'?: string[]
  'allow-host'?: string[]
  static?: string
  project?: string
  help?: boolean
}
try {
  ;({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: '.pollen/events.db' },
      'api-key': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      static: { type: 'string' },
      project: { type: 'string' },
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

/** With --static: the folder served and the project the proxy forces. */
let site: { dir: string; project: string } | undefined
if (values.static !== undefined) {
  if (!values.project) {
    console.error(`--project: required with --static (the proxy forces it onto every event)\n\n${usage}`)
    process.exit(2)
  }
  if (values.static) site = { dir: values.static, project: values.project }
}

/** A repeatable flag's values, commas splitting them too. */
const list = (flags: string[] = []) => flags.flatMap((flag) => flag.split(',')).map((value) => value.trim()).filter(Boolean)

const origins = list(values['allow-origin'])
const badOrigin = origins.find((origin) => origin !== '*' && URL.parse(origin)?.origin !== origin)
if (badOrigin !== undefined) {
  console.error(`--allow-origin: expected an origin such as http://localhost:5173 (scheme, host and port, no path), got ${badOrigin}\n\n${usage}`)
  process.exit(2)
}

const options = {
  port,
  host: values.host,
  db: values.db,
  apiKey: values['api-key'],
  allowedOrigins: origins.includes('*') ? ('*' as const) : origins,
  allowedHosts: list(values['allow-host']),
}
const collector = site ? await startSite({ ...options, ...site }) : await startCollector(options)
const access = values['api-key'] ? ', API key required' : ', open'
console.log(
  site
    ? `pollen-collector serving ${site.dir} on ${collector.url}: proxy at /api/pollen, collector at /honeyhive (db: ${values.db}${access})`
    : `pollen-collector listening on ${collector.url} (db: ${values.db}${access})`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void collector.close().then(() => {
      console.log('pollen-collector stopped')
      process.exit(0)
    })
  })
}
