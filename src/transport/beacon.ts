import { splitUpdates } from '../honeyhive/index.js'
import type { ItemKind } from '../schema/index.js'
import { chunkByBytes } from './chunk.js'
import { coalesceUpdates } from './coalesce.js'
import { requestsFor, type Target, type WireItem, type WireRequest } from './wire.js'

/**
 * Chromium lets all of a page's in-flight beacons and keepalive fetches carry
 * at most 64 KiB of body together; a request past that is refused outright
 * (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight keepalive bytes").
 */
export const UNLOAD_BUDGET_BYTES = 64 * 1024

/**
 * The unload path: sends as many of `items` (oldest first) as fit in the
 * budget, synchronously, in ways that outlive the page. Proxy mode uses
 * `sendBeacon`; direct mode needs an Authorization header, which a beacon
 * cannot carry, so it uses `fetch(…, { keepalive: true })`.
 *
 * `inFlight` is what this page already has in keepalive requests; `beacon`
 * hands a proxy envelope to the browser (`fetchLater` uses it too: see
 * deferred.ts). Returns the items handed to the browser; the rest stay in
 * storage for the next visit.
 */
export function sendOnUnload(
  target: Target,
  items: WireItem[],
  inFlight = 0,
  beacon: (request: WireRequest) => boolean = (request) => navigator.sendBeacon(request.url, request.body),
): { sent: WireItem[]; bytes: number } {
  let budget = UNLOAD_BUDGET_BYTES - inFlight
  const sent: WireItem[] = []
  let bytes = 0
  if (budget <= 0 || items.length === 0) return { sent, bytes }
  const { items: wire, members } = coalesceUpdates(items)

  /** Hands `part` to the browser in one request if it fits the budget; false when it did not go. */
  const send = (part: WireItem[]): boolean => {
    const [request] = requestsFor(target, part)
    if (!request || request.bytes > budget) return false
    try {
      if (target.mode === 'proxy') {
        // A string body goes as text/plain;charset=UTF-8: no CORS preflight.
        if (!beacon(request)) return false
      } else {
        // The promise outlives the page; its result does not matter here: what
        // is not confirmed stays in storage and is sent again on the next visit.
        fetch(request.url, { ...request, keepalive: true }).catch(() => undefined)
      }
    } catch {
      // No sendBeacon or fetch here, or the browser refused the request outright.
      return false
    }
    budget -= request.bytes
    bytes += request.bytes
    sent.push(...part.flatMap((item) => members.get(item.key) ?? [item]))
    return true
  }

  if (target.mode === 'proxy') {
    chunkByBytes(wire, budget).every(send)
    return { sent, bytes }
  }
  // Direct mode: HoneyHive's order (sessions, events, updates), stopping at the
  // first request that does not fit.
  const ofKind = (kind: ItemKind) => wire.filter((item) => item.kind === kind)
  // Events are chunked by what the sessions left of the budget, so that they cannot crowd out the first chunk.
  const created = ofKind('session').every((item) => send([item])) && chunkByBytes(ofKind('event'), budget).every(send)
  // Updates wait while a creation waits: they go only if every creation went.
  splitUpdates(ofKind('update'), () => !created).ready.every((item) => send([item]))
  return { sent, bytes }
}
