/**
 * Reads what each library put on the wire: the ids of the seed events a
 * request body carried, so that the server can count deliveries (and
 * duplicates) the same way for all three.
 */
import { gunzipSync } from 'node:zlib'

/** The seed event's name: Pollen's `event_name`, the others' event name. */
export const SEED_EVENT = 'Model Completion'

type Json = Record<string, unknown>

/** Pollen's proxy envelope: `{ sessions?, events?, updates? }`, plain JSON. */
export function pollenIds(body: Buffer): string[] {
  const envelope = JSON.parse(body.toString('utf8')) as { events?: Json[] }
  return (envelope.events ?? []).filter((event) => event.event_name === SEED_EVENT).map((event) => String(event.event_id))
}

/**
 * posthog-js: an event or an array of events, as JSON, gzip (its default once
 * the remote config allows it; recognised by the gzip magic bytes, as this
 * version does not say so in the URL) or `data=` + base64. Ids are the events' `uuid`.
 */
export function posthogIds(body: Buffer, query: URLSearchParams): string[] {
  const gzip = body[0] === 0x1f && body[1] === 0x8b
  const form = query.get('compression') === 'base64' || body.subarray(0, 5).toString('latin1') === 'data='
  const text = gzip
    ? gunzipSync(body).toString('utf8')
    : form
      ? Buffer.from(new URLSearchParams(body.toString('utf8')).get('data') ?? '', 'base64').toString('utf8')
      : body.toString('utf8')
  const json = JSON.parse(text) as Json | Json[]
  const events = Array.isArray(json) ? json : Array.isArray(json.batch) ? (json.batch as Json[]) : [json]
  return events.filter((event) => event.event === SEED_EVENT).map((event) => String(event.uuid))
}

/**
 * mixpanel-browser: `data=` and a batch (or one event) as JSON, base64-encoded
 * when the host is not mixpanel.com (its default). Ids are `$insert_id`.
 */
export function mixpanelIds(body: Buffer): string[] {
  const data = new URLSearchParams(body.toString('utf8')).get('data') ?? ''
  const text = data.trimStart().startsWith('[') || data.trimStart().startsWith('{') ? data : Buffer.from(data, 'base64').toString('utf8')
  const json = JSON.parse(text) as Json | Json[]
  const events = Array.isArray(json) ? json : [json]
  return events
    .filter((event) => event.event === SEED_EVENT)
    .map((event) => String((event.properties as Json | undefined)?.$insert_id))
}
