/**
 * Decides whether a request's Origin may use the proxy: same origin always;
 * others only when listed (or `'*'`). No Origin header (a server, curl) passes:
 * CORS protects browsers' users, and `authorize` is the gate for everyone.
 */
export function originAllowed(request: Request, allowed: readonly string[] | '*'): boolean {
  const origin = request.headers.get('origin')
  if (!origin) return true
  if (allowed === '*') return true
  if (origin === new URL(request.url).origin) return true
  return allowed.includes(origin)
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
