import { splitUpdates } from '../honeyhive/index.js'
import type { ItemKind } from '../schema/index.js'
import { chunkByBytes } from './chunk.js'
import { coalesceUpdates } from './coalesce.js'
import { utf8 } from './body.js'
import { gzipSync } from './gzip-sync.js'
import { envelopeRequest, requestsFor, type Target, type WireItem, type WireRequest } from './wire.js'

/**
 * Chromium lets all of a page's in-flight beacons and keepalive fetches carry
 * at most 64 KiB of body together; a request past that is refused outright
 * (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight keepalive bytes").
 */
export const UNLOAD_BUDGET_BYTES = 64 * 1024

/** Compressed ÷ plain size first assumed for an envelope: chat events measured 22–25% with gzip-sync.ts. */
const GUESS_RATIO = 0.3
/** A gzipped beacon after the first only when this much budget is left. */
const ANOTHER_BEACON_BYTES = 8 * 1024

/**
 * The unload path: sends as many of `items` (oldest first) as fit in the
 * budget, synchronously, in ways that outlive the page. Proxy mode uses
 * `sendBeacon`; direct mode needs an Authorization header, which a beacon
 * cannot carry, so it uses `fetch(…, { keepalive: true })`.
 *
 * A proxy that said it reads gzip gets the envelopes gzipped, synchronously
 * (gzip-sync.ts), when `zip` is set and the items do not all fit as plain
 * JSON: the budget then carries about four times as many. How many fit is
 * known only once they are compressed, so the first guess comes from their
 * plain size at GUESS_RATIO, and a body over the budget is made again with
 * fewer items, in proportion.
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
  zip = true,
): { sent: WireItem[]; bytes: number } {
  let budget = UNLOAD_BUDGET_BYTES - inFlight
  const sent: WireItem[] = []
  let bytes = 0
  if (budget <= 0 || items.length === 0) return { sent, bytes }
  const zipping = target.mode === 'proxy' && target.gzip && zip
  // Only the oldest items that could fit are looked at, so that a backlog of
  // thousands costs no more than the budget holds (fetchLater's copy is made
  // again every 500 ms while it lasts). Gzipped, 64 KiB may hold 8 times as much JSON.
  let reach = zipping ? budget * 8 : budget
  const end = items.findIndex((item) => (reach -= item.bytes) < 0)
  const { items: wire, members } = coalesceUpdates(end < 0 ? items : items.slice(0, end + 1))

  /** Hands `request`, which carries `part`, to the browser if it fits the budget; false when it did not go. */
  const hand = (request: WireRequest | undefined, part: WireItem[]): boolean => {
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
  const send = (part: WireItem[]) => hand(requestsFor(target, part)[0], part)

  let rest = wire
  // Gzip only when plain JSON cannot carry everything (counted as chunkByBytes counts an
  // envelope): compressing costs the closing page milliseconds (see the README), which a few
  // pending items are not worth.
  if (zipping && wire.reduce((total, item) => total + item.bytes + 1, 64) > budget) {
    /** The envelope of `part`, gzipped. */
    const zipped = (part: WireItem[]): WireRequest => {
      const plain = envelopeRequest(target.endpoint, part, target.seq)
      const body = gzipSync(utf8(plain.body as string))
      return { ...plain, body, bytes: body.length }
    }
    try {
      let ratio = GUESS_RATIO
      // Another beacon only for a budget worth compressing into: small bodies compress worse, and each costs a pass.
      for (let first = true; rest.length > 0 && (first || budget >= ANOTHER_BEACON_BYTES); first = false) {
        let part = chunkByBytes(rest, budget / ratio)[0]!
        // An item of more than 8 times the budget does not fit, however it compresses: not worth a pass.
        if (part[0]!.bytes > budget * 8) break
        let request = zipped(part)
        while (request.bytes > budget && part.length > 1) {
          part = part.slice(0, Math.floor((part.length * budget * 0.9) / request.bytes) || 1)
          request = zipped(part)
        }
        const plainBytes = part.reduce((total, item) => total + item.bytes, 0)
        if (!hand(request, part)) break
        // The next beacon's guess: this one's ratio, with a margin.
        ratio = Math.max(GUESS_RATIO / 2, (request.bytes / plainBytes) * 1.2)
        rest = rest.slice(part.length)
      }
      return { sent, bytes }
    } catch {
      // Compressing failed (out of memory, say): what is left goes plain; the page never sees the error.
    }
  }
  if (target.mode === 'proxy') {
    chunkByBytes(rest, budget).every(send)
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
