import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { failure } from '../collector/api.js'
import { listen, type ListenOptions } from '../collector/listen.js'
import { reply } from '../collector/reply.js'
import { createCollector, type CollectorOptions } from '../collector/server.js'
import { createProxyHandler, toNodeListener } from '../proxy/index.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** Answers a GET or HEAD of `path` with files under `dir` (`/` is index.html); false when there is no such file. */
async function serveFile(dir: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return false
  }
  const file = resolve(dir, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`)
  // Never outside `dir`, whatever `..` or encoded separators the path holds.
  if (file !== dir && !file.startsWith(dir + sep)) return false
  try {
    if (!(await stat(file)).isFile()) return false
    const body = await readFile(file)
    // Vite names built assets by content hash: they never change. The page itself may.
    const cache = decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  } catch {
    return false
  }
}

/** Options of {@link startSite}. */
export interface SiteOptions extends CollectorOptions, ListenOptions {
  /** Folder of static files to serve, e.g. the demo's build (`dist/demo`). */
  dir: string
  /** Project the proxy forces onto every event. */
  project: string
}

/**
 * One server for a shared test deployment: static files at `/`, the Pollen
 * proxy at `/api/pollen` forwarding to the collector at `/honeyhive`.
 * `allowedOrigins` applies to both.
 */
export async function startSite(options: SiteOptions) {
  const dir = resolve(options.dir)
  const collector = createCollector(options)
  let proxy: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = await listen(async (req, res, path) => {
    if (path === '/api/pollen') return proxy!(req, res)
    if (path === '/honeyhive' || path.startsWith('/honeyhive/')) {
      req.url = req.url!.slice('/honeyhive'.length) || '/'
      return collector.handle(req, res)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const refused = failure(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}: files answer GET and HEAD`)
      return reply(res, { ...refused, headers: { Allow: 'GET, HEAD' } })
    }
    if (!(await serveFile(dir, path, req, res))) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
  }, options).catch((error: unknown) => {
    collector.close()
    throw error
  })
  proxy = toNodeListener(
    createProxyHandler({
      apiKey: options.apiKey ?? 'local',
      project: options.project,
      upstream: `${server.url}/honeyhive`,
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    }),
  )
  let closing: Promise<void> | undefined
  return {
    url: server.url,
    close(): Promise<void> {
      closing ??= server.close().then(() => collector.close())
      return closing
    },
  }
}
