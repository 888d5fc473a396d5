/**
 * The bench's only server, on 127.0.0.1: it serves each library's page
 * (cross-origin isolated, so that `performance.now()` has 5 µs steps) and
 * answers and records what the libraries send, on the same origin as a
 * reverse proxy would:
 *   /api/pollen  Pollen's proxy envelope (the tests' ingest, which validates with Pollen's schemas)
 *   /ph/…        posthog-js: events (/e/, /i/v0/e/, /batch/), remote config, flags
 *   /mp/…        mixpanel-browser: /track/ and the rest
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createIngest } from '../../support/ingest.js'
import type { Library } from './library.js'
import { mixpanelIds, pollenIds, posthogIds } from './wire.js'

/** One request a library's API received. */
export interface Arrival {
  path: string
  /** Body bytes as sent (gzip stays gzip); headers not counted. */
  bytes: number
  /** Date.now() when the body had arrived. */
  at: number
  /** Ids of the seed events it carried. */
  ids: string[]
}

/** The posthog project token the page uses; remote config is served for it. */
const POSTHOG_TOKEN = 'phc_pollen_bench'

/**
 * A minimal remote config in the shape PostHog's servers send, for a project
 * that uses none of the optional features (posthog-js still fetches its
 * surveys script, answered empty), and that accepts gzip: posthog-js then
 * gzips its batches as it does against posthog.com.
 */
const POSTHOG_CONFIG = {
  token: POSTHOG_TOKEN,
  supportedCompression: ['gzip', 'gzip-js'],
  hasFeatureFlags: false,
  autocapture_opt_out: true,
  autocaptureExceptions: false,
  capturePerformance: false,
  heatmaps: false,
  surveys: false,
  sessionRecording: false,
  siteApps: [],
  defaultIdentifiedOnly: true,
}

/** Headers of a cross-origin isolated page: Chromium then gives `performance.now()` 5 µs steps, not 100 µs. */
export const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>peer bench</title></head>
<body><script type="module">
import { peer } from './page.js'
window.peer = peer
window.peerReady = true
</script></body></html>`

/** A request's whole body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function answer(res: ServerResponse, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(200, { 'Content-Type': type, ...headers })
  res.end(body)
}

/** Starts the server; `scripts` holds each library's page script (an ES module exporting `peer`). */
export async function startPeerServer(scripts: Record<Library, string>) {
  const ingest = createIngest()
  const arrivals: Record<'posthog' | 'mixpanel', Arrival[]> = { posthog: [], mixpanel: [] }
  /** Requests whose body the wire readers could not decode, with the reason: should stay empty. */
  const undecoded: string[] = []

  async function record(library: 'posthog' | 'mixpanel', req: IncomingMessage, url: URL): Promise<void> {
    const body = await readBody(req)
    let ids: string[] = []
    if (body.length > 0) {
      try {
        ids = library === 'posthog' ? posthogIds(body, url.searchParams) : mixpanelIds(body)
      } catch (error) {
        undecoded.push(`${req.method} ${url.pathname}${url.search} (${req.headers['content-type']}, ${body.length} B): ${(error as Error).message}`)
      }
    }
    arrivals[library].push({ path: url.pathname, bytes: body.length, at: Date.now(), ids })
  }

  async function posthog(req: IncomingMessage, res: ServerResponse, url: URL) {
    await record('posthog', req, url)
    const path = url.pathname.slice('/ph'.length)
    if (path === `/array/${POSTHOG_TOKEN}/config.js`) {
      const script = `(window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {})[${JSON.stringify(POSTHOG_TOKEN)}] = ${JSON.stringify({ config: POSTHOG_CONFIG, siteApps: [] })}`
      return answer(res, 'application/javascript', script)
    }
    if (path.endsWith('.js')) return answer(res, 'application/javascript', '')
    if (path === `/array/${POSTHOG_TOKEN}/config`) return answer(res, 'application/json', JSON.stringify(POSTHOG_CONFIG))
    if (path.startsWith('/flags') || path.startsWith('/decide')) {
      return answer(res, 'application/json', JSON.stringify({ ...POSTHOG_CONFIG, flags: {}, featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false }))
    }
    answer(res, 'application/json', '{"status":1}')
  }

  async function mixpanel(req: IncomingMessage, res: ServerResponse, url: URL) {
    await record('mixpanel', req, url)
    // mixpanel-browser asks for JSON with `verbose=1` (its batches do) and reads a bare 1 otherwise.
    if (url.searchParams.get('verbose') === '1') return answer(res, 'application/json', '{"status":1,"error":null}')
    answer(res, 'text/plain', '1')
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const page = /^\/(pollen|posthog|mixpanel)\/(page\.js)?$/.exec(url.pathname)
    if (page) {
      const library = page[1] as Library
      return page[2] ? answer(res, 'text/javascript', scripts[library], ISOLATED) : answer(res, 'text/html', PAGE, ISOLATED)
    }
    if (url.pathname.startsWith('/api/pollen')) return ingest.middleware(req, res)
    if (url.pathname.startsWith('/ph/')) return void posthog(req, res, url)
    if (url.pathname.startsWith('/mp/')) return void mixpanel(req, res, url)
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    /** What `library`'s API received since the last reset, oldest first. */
    arrivals(library: Library): Arrival[] {
      if (library !== 'pollen') return arrivals[library]
      return ingest.requests.map((request) => ({
        path: request.path,
        bytes: request.bytes,
        at: request.at,
        ids: request.method === 'POST' ? pollenIds(Buffer.from(request.body, 'utf8')) : [],
      }))
    },
    /** Pollen events the ingest stored: those that passed Pollen's schemas. */
    get pollenStored() {
      return ingest.events.size
    },
    get undecoded() {
      return undecoded
    },
    reset() {
      ingest.reset()
      arrivals.posthog.length = 0
      arrivals.mixpanel.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type PeerServer = Awaited<ReturnType<typeof startPeerServer>>
