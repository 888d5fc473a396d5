import { createEvents, ITEM_ORDER, requestHeaders, routeUrl, startSession, updateEvent, type HoneyHiveRequest } from '../honeyhive/index.js'
import type { ItemKind } from '../schema/index.js'

/** What the transport needs of a queued item: its identity and wire JSON. */
export interface WireItem {
  key: string
  kind: ItemKind
  id: string
  json: string
  bytes: number
}

/** Where and how to send: through the app's proxy, or straight to HoneyHive. */
export type Target =
  /** `seq`, `gzip`: the proxy said it reads update sequences (see {@link envelopeRequest}), gzip bodies. */
  | { mode: 'proxy'; endpoint: string; seq?: boolean; gzip?: boolean }
  | { mode: 'direct'; endpoint: string; apiKey: string }

/** One HTTP request and the items it carries. */
export interface WireRequest {
  url: string
  method: 'POST' | 'PUT'
  headers: Record<string, string>
  /** The JSON text; as fetch sends it, its UTF-8 bytes, gzipped for a proxy that reads gzip. */
  body: string | Uint8Array<ArrayBuffer> | Blob
  /** UTF-8 size of `body`. */
  bytes: number
  /** Which items the request carries, and for direct sends what kind of route it is. */
  items: WireItem[]
  route: 'envelope' | 'session' | 'events' | 'update'
  /** An envelope that carries update sequences. */
  seq?: boolean
}

// text/plain is a CORS-safelisted type: neither fetch nor sendBeacon needs a
// preflight for it, and a beacon cannot send one anyway.
const PLAIN = { 'Content-Type': 'text/plain;charset=UTF-8' }

/** UTF-8 size of a body made of items' JSON and ASCII around it. */
const bodyBytes = (body: string, items: WireItem[]) => items.reduce((bytes, item) => bytes + item.bytes - item.json.length, body.length)

/**
 * An update's sequence, from its queue key (`<ms>.<tab>.<counter>`): later
 * updates of an event have higher ones, across the tabs of one browser too.
 */
const sequence = (key: string) => parseInt(key) * 1000 + (Number(key.slice(key.lastIndexOf('.') + 1)) % 1000 || 0)

/**
 * The proxy envelope for these items, in one request. With `seq`, each update's
 * sequence goes beside it, so that the proxy never lets an older update of an
 * event land after a newer one; only proxies that said they read it get it, as
 * older ones refuse envelopes with fields they do not know.
 */
export function envelopeRequest(endpoint: string, items: WireItem[], seq?: boolean): WireRequest {
  const parts: string[] = []
  for (const kind of ITEM_ORDER) {
    const some = items.filter((item) => item.kind === kind)
    if (some.length > 0) parts.push(`"${kind}s":[${some.map((item) => item.json).join(',')}]`)
    if (seq && kind === 'update' && some.length > 0) parts.push(`"seq":[${some.map((item) => sequence(item.key))}]`)
  }
  const body = `{${parts.join(',')}}`
  return { url: endpoint, method: 'POST', headers: PLAIN, body, bytes: bodyBytes(body, items), items, route: 'envelope', seq }
}

/**
 * HoneyHive's own routes for these items: one `POST /session/start` per
 * session, one `POST /events/batch` for the events, one `PUT /events` per
 * update (HoneyHive has no batch update). Returned in the order they must go.
 */
export function directRequests(endpoint: string, apiKey: string, items: WireItem[]): WireRequest[] {
  const headers = requestHeaders(apiKey)
  const direct = (request: HoneyHiveRequest, carried: WireItem[], route: WireRequest['route']): WireRequest => {
    const { method, body } = request
    return { url: routeUrl(endpoint, request), method, headers, body, bytes: bodyBytes(body, carried), items: carried, route }
  }
  const requests: WireRequest[] = []
  for (const item of items) if (item.kind === 'session') requests.push(direct(startSession(item.json), [item], 'session'))
  const events = items.filter((item) => item.kind === 'event')
  if (events.length > 0) requests.push(direct(createEvents(events.map((item) => item.json)), events, 'events'))
  for (const item of items) if (item.kind === 'update') requests.push(direct(updateEvent(item.json), [item], 'update'))
  return requests
}

/** The requests that carry `items` to `target`. */
export function requestsFor(target: Target, items: WireItem[]): WireRequest[] {
  return target.mode === 'proxy' ? [envelopeRequest(target.endpoint, items, target.seq)] : directRequests(target.endpoint, target.apiKey, items)
}
