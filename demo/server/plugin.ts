/**
 * The demo's server side, mounted in Vite's dev server by `npm start`: the
 * Pollen proxy at /api/pollen, a local collector (SQLite under .pollen/) at
 * /honeyhive, and a few demo-only routes under /api/demo. One process, no
 * account: with HH_API_KEY set, the proxy forwards to HoneyHive instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Plugin } from 'vite'
import { createCollector, type Collector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import { complete, modelFromEnv } from './complete.js'
import { createFaultSwitch, readJson, sendJson, type Fault } from './fault.js'

/** Options of {@link pollenDemo}; the defaults are what `npm start` uses. */
export interface DemoOptions {
  /** SQLite file of the local collector. @default $POLLEN_DEMO_DB, else '.pollen/events.db' */
  db?: string
  /** @default process.env */
  env?: NodeJS.ProcessEnv
}

/** The project every demo event goes to (the proxy forces it). */
export const DEMO_PROJECT = 'Simple RAG'

export function pollenDemo(options: DemoOptions = {}): Plugin {
  const env = options.env ?? process.env
  const model = modelFromEnv(env)
  const faults = createFaultSwitch()
  const honeyhive = Boolean(env.HH_API_KEY)
  const db = options.db ?? (env.POLLEN_DEMO_DB || '.pollen/events.db')
  let collector: Collector | undefined
  let proxy: ((req: IncomingMessage, res: ServerResponse) => void) | undefined

  const status = (fault: Fault = faults.current()) => ({
    upstream: honeyhive ? 'honeyhive' : 'collector',
    llm: model ? { provider: 'openai', model: model.model } : { provider: 'local' },
    fault,
  })

  return {
    name: 'pollen:demo',
    apply: 'serve',
    configureServer(server) {
      const port = () => (server.httpServer!.address() as AddressInfo).port
      // Opened on first use, so a dev server that never serves the demo (a test's) touches no file.
      const store = () => (collector ??= createCollector({ db }))
      server.httpServer?.once('close', () => collector?.close())

      server.middlewares.use('/honeyhive', (req, res) => {
        if (faults.intercept(res)) return
        store().handle(req, res)
      })
      server.middlewares.use('/api/pollen', (req, res) => {
        proxy ??= toNodeListener(
          createProxyHandler({
            apiKey: env.HH_API_KEY || 'local-demo',
            project: DEMO_PROJECT,
            source: 'demo',
            ...(honeyhive ? {} : { upstream: `http://127.0.0.1:${port()}/honeyhive` }),
            // A visitor reloading and failing the collector on purpose makes many requests.
            rateLimit: { requests: 1200, perMs: 60_000 },
            // The demo shows the 500s and 429s it causes in the inspector; the terminal stays quiet.
            log: () => undefined,
          }),
        )
        proxy(req, res)
      })
      server.middlewares.use('/api/demo/status', (req, res) => {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET only' })
        sendJson(res, 200, status())
      })
      server.middlewares.use('/api/demo/fault', async (req, res) => {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
        const body = (await readJson(req)) as { kind?: unknown; seconds?: unknown } | undefined
        const kind = body?.kind
        if (kind !== 'none' && kind !== '500' && kind !== '429') return sendJson(res, 400, { error: 'kind: expected "none", "500" or "429"' })
        const seconds = body?.seconds ?? 20
        if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= 600)) return sendJson(res, 400, { error: 'seconds: expected a number from 1 to 600' })
        sendJson(res, 200, status(faults.set(kind, seconds)))
      })
      server.middlewares.use('/api/demo/complete', (req, res) => {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
        void complete(model, req, res)
      })
      server.httpServer?.once('listening', () => {
        const where = honeyhive ? 'HoneyHive (HH_API_KEY is set)' : `the local collector at http://localhost:${port()}/honeyhive (${db})`
        server.config.logger.info(`  Pollen demo: events go to ${where}; answers from ${model ? model.model : 'the local Simple RAG assistant'}`)
      })
    },
  }
}
