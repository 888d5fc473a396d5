import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, resolve, sep } from 'node:path'
import { createProxyHandler, toNodeListener } from '../proxy/index.js'
import { createCollector, type CollectorOptions } from './server.js'

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

/** Answers GET and HEAD with files under `dir` (`/` is index.html); false when there is no such file. */
async function serveFile(dir: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  let path: string
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname)
  } catch {
    return false
  }
  const file = resolve(dir, `.${path.endsWith('/') ? `${path}index.html` : path}`)
  // Never outside `dir`, whatever `..` or encoded separators the path holds.
  if (file !== dir && !file.startsWith(dir + sep)) return false
  try {
    if (!(await stat(file)).isFile()) return false
    const body = await readFile(file)
    // Vite names built assets by content hash: they never change. The page itself may.
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  } catch {
    return false
  }
}

/** Options of {@link startSite}. */
export interface SiteOptions extends CollectorOptions {
  /** Folder of static files to serve, e.g. the demo's build (`dist/demo`). */
  dir: string
  /** Project the proxy forces onto every event. */
  project: string
  port?: number
  host?: string
}

/**
 * One server for a shared test deployment: static files at `/`, the Pollen
 * proxy at `/api/pollen` forwarding to the collector at `/honeyhive`.
 */
export async function startSite(options: SiteOptions) {
  const dir = resolve(options.dir)
  const collector = createCollector(options)
  let proxy: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path === '/api/pollen') return proxy!(req, res)
    if (path === '/honeyhive' || path.startsWith('/honeyhive/')) {
      req.url = req.url!.slice('/honeyhive'.length) || '/'
      return collector.handle(req, res)
    }
    void serveFile(dir, req, res).then((served) => {
      if (!served) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 8787, host, () => done())
  })
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`
  proxy = toNodeListener(createProxyHandler({ apiKey: options.apiKey ?? 'local', project: options.project, upstream: `${url}/honeyhive` }))
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          collector.close()
          done()
        })
        server.closeIdleConnections()
      }),
  }
}

