import { isIP } from 'node:net'

// `host`, `host:port` or `[v6]:port`, as in a Host header.
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/i

/** The lowercase name of a Host header without its port; undefined when it is not one. */
function hostname(header: string): string | undefined {
  const match = HOST_HEADER.exec(header)
  if (!match || (match[3] !== undefined && Number(match[3]) > 65535)) return undefined
  return (match[1] ?? match[2]!).toLowerCase()
}

/** Whether `name` (a host name or address, lowercase, no port) is this machine's loopback. */
function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true
  return isIP(name) === 4 && name.startsWith('127.')
}

/** Whether the collector listening on `address` (its `host` option) is only reachable from this machine. */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackName(address.toLowerCase().replace(/^\[(.*)\]$/, '$1'))
}

/**
 * Whether a server on a loopback address may answer a request with this
 * `Host` header: a loopback name (`localhost`, `*.localhost`, `127.x.x.x`,
 * `[::1]`, any port), or a name in `allowed` (without port; `.example.test`
 * also allows its subdomains). Anything else is DNS rebinding: a page on
 * `http://evil.example:8787` whose name now resolves to 127.0.0.1 is the
 * collector's same origin for the browser. A request without Host (HTTP/1.0)
 * names nothing and passes.
 */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true
  const name = hostname(header)
  if (name === undefined) return false
  if (isLoopbackName(name)) return true
  return allowed.some((entry) => {
    const host = entry.toLowerCase()
    return host === name || (host.startsWith('.') && (name.endsWith(host) || name === host.slice(1)))
  })
}
