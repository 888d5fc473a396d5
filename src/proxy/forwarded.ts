/** `host`, `host:port`, `1.2.3.4:80` or `[::1]:80`: what a Host header may hold. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::\d{1,5})?$/
/** An IPv4 or IPv6 address as proxies write it in X-Forwarded-For. */
const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/

/** True when `value` is a syntactically valid host (and port). */
export function isHost(value: string): boolean {
  return HOST.test(value)
}

/**
 * How far forwarded headers are believed: `false` (the default) ignores them,
 * as any client can send them; `true` believes the one proxy in front of the
 * app; a number believes that many hops of `X-Forwarded-For`.
 */
export type TrustProxy = boolean | number

const hops = (trust: TrustProxy | undefined) => (trust === true ? 1 : typeof trust === 'number' && trust > 0 ? Math.floor(trust) : 0)

const first = (header: string | null) => header?.split(',')[0]?.trim() || undefined

/**
 * The client address as the trusted proxies saw it: the entry of
 * `X-Forwarded-For` that the outermost trusted hop appended. Entries left of it
 * were written by the client and are never used.
 */
export function forwardedFor(request: Request, trust: TrustProxy | undefined): string | undefined {
  const count = hops(trust)
  if (count === 0) return undefined
  const list = (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean)
  const address = list[Math.max(0, list.length - count)]
  return address && ADDRESS.test(address) ? address : undefined
}

/** `https:` or `http:` from `X-Forwarded-Proto`, when trusted. */
export function forwardedProto(request: Request, trust: TrustProxy | undefined): string | undefined {
  if (hops(trust) === 0) return undefined
  const proto = first(request.headers.get('x-forwarded-proto'))?.toLowerCase()
  return proto === 'https' || proto === 'http' ? `${proto}:` : undefined
}

/** The public host from `X-Forwarded-Host`, when trusted and well formed. */
export function forwardedHost(request: Request, trust: TrustProxy | undefined): string | undefined {
  if (hops(trust) === 0) return undefined
  const host = first(request.headers.get('x-forwarded-host'))
  return host && isHost(host) ? host : undefined
}
