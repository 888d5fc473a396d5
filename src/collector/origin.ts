import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'

/** What the collector answers CORS preflights with. */
export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
}

/** The collector's verdict on a request's `Origin`, with the CORS headers its answer carries. */
export type OriginVerdict = { allowed: true; headers: Record<string, string> } | { allowed: false; origin: string; headers: Record<string, string> }

/**
 * Same origin: the browser says so in `Sec-Fetch-Site` (a header pages cannot
 * set), or `Origin` is the scheme and `Host` this request came in on.
 */
function sameOrigin(req: IncomingMessage, origin: string): boolean {
  if (req.headers['sec-fetch-site'] === 'same-origin') return true
  const host = req.headers.host
  if (!host) return false
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http'
  return origin.toLowerCase() === `${scheme}://${host.toLowerCase()}`
}

/**
 * Decides whether a page's request may use the collector. The stored events
 * are every prompt and answer logged, so other origins need an explicit
 * `allowedOrigins` entry: with `Access-Control-Allow-Origin: *` any website
 * open in the browser could export them, or write fake ones. Requests without
 * `Origin` (curl, the proxy on a server) are no browser's and pass; the API key
 * is the gate for those.
 */
export function checkOrigin(req: IncomingMessage, allowed: readonly string[] | '*'): OriginVerdict {
  const origin = req.headers.origin
  if (origin === undefined) return { allowed: true, headers: {} }
  if (allowed === '*') return { allowed: true, headers: { 'Access-Control-Allow-Origin': '*' } }
  // The answer depends on Origin from here on: caches must key on it.
  const vary = { Vary: 'Origin' }
  if (sameOrigin(req, origin)) return { allowed: true, headers: vary }
  if (allowed.includes(origin)) return { allowed: true, headers: { 'Access-Control-Allow-Origin': origin, ...vary } }
  return { allowed: false, origin, headers: vary }
}
