import { forwardedFor, type TrustProxy } from './forwarded.js'

/** Longest key kept for a rate-limit bucket; longer ones are cut, so keys cannot exhaust memory. */
const MAX_KEY = 128

/** What may identify the client of a request, strongest first. */
export interface ClientFacts {
  /** The app's own key for the request (`clientKey` option), e.g. a session cookie or `CF-Connecting-IP`. */
  appKey?: string
  /** The user `authorize` vouched for. */
  userId?: string
  /** The socket's peer, from the host server. */
  socketAddress?: string
  trustProxy?: TrustProxy
}

/**
 * The key of the client's rate-limit bucket, from what the runtime or the app
 * vouches for and never from the body: the app's key, else the authorized
 * user, else the client address (`X-Forwarded-For` only behind a trusted
 * proxy), else one bucket shared by every request.
 */
export function clientKeyOf(request: Request, facts: ClientFacts): string {
  const address = forwardedFor(request, facts.trustProxy) ?? facts.socketAddress
  const key = facts.appKey ? `app:${facts.appKey}` : facts.userId ? `user:${facts.userId}` : address ? `ip:${address}` : 'shared'
  return key.length > MAX_KEY ? key.slice(0, MAX_KEY) : key
}
