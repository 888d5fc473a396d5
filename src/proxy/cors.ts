import { forwardedHost, forwardedProto, isHost, type TrustProxy } from './forwarded.js'

/** What the origin check needs to know of the proxy's deployment. */
export interface OriginPolicy {
  /** The app's own public origins, when the app states them. */
  self?: readonly string[]
  /** Other origins allowed to call, or `'*'`. */
  allowed: readonly string[] | '*'
  trustProxy?: TrustProxy
}

/**
 * The origin the proxy is served from: the app's own statement when it made
 * one; else the scheme of the connection (or `X-Forwarded-Proto` from a
 * trusted proxy) with the `Host` header, which browsers always send truthfully.
 * Never the request target: `//evil.example/api/pollen` is a path.
 */
export function selfOrigins(request: Request, policy: OriginPolicy): readonly string[] {
  if (policy.self) return policy.self
  const url = new URL(request.url)
  const host = forwardedHost(request, policy.trustProxy) ?? request.headers.get('host') ?? url.host
  const protocol = forwardedProto(request, policy.trustProxy) ?? url.protocol
  return isHost(host) ? [`${protocol}//${host.toLowerCase()}`] : []
}

/**
 * Decides whether a request's Origin may use the proxy: its own origin always;
 * others only when listed (or `'*'`). A browser's `Sec-Fetch-Site: same-origin`
 * (a header no page can set) counts as the own origin, so that a deployment
 * behind a TLS-terminating load balancer works without configuration. No
 * Origin header (a server, curl) passes: CORS protects browsers' users, and
 * `authorize` is the gate for everyone.
 */
export function originAllowed(request: Request, policy: OriginPolicy): boolean {
  const origin = request.headers.get('origin')
  if (!origin) return true
  if (policy.allowed === '*') return true
  if (request.headers.get('sec-fetch-site') === 'same-origin') return true
  return selfOrigins(request, policy).includes(origin.toLowerCase()) || policy.allowed.includes(origin)
}

/** Headers that let the calling origin read the answer. */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get('origin')
  if (!origin) return {}
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
}

/** The answer to a CORS preflight of an allowed origin. */
export function preflightHeaders(request: Request): Record<string, string> {
  return {
    ...corsHeaders(request),
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '86400',
  }
}
