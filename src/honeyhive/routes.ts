/** HoneyHive's API: where direct mode and the proxy send unless told otherwise. */
export const HONEYHIVE_URL = 'https://api.honeyhive.ai'

/** A route of HoneyHive's legacy Events API (see HONEYHIVE-API.md). */
export interface Route {
  method: 'POST' | 'PUT'
  /** Below the base URL, e.g. `/events/batch`. */
  path: string
}

// The routes Pollen speaks, and the collector answers; one constant each, so
// that a browser bundle keeps only the ones it sends.

/** `{"event": …}` → `{event_id, success}`. */
export const CREATE_EVENT: Route = { method: 'POST', path: '/events' }
/** `{"events": […]}` → `{event_ids, session_id, success}`, or the partial success (see `batch.ts`). */
export const CREATE_EVENTS: Route = { method: 'POST', path: '/events/batch' }
/** The flat update → 200, empty. No batch form: one request per update. */
export const UPDATE_EVENT: Route = { method: 'PUT', path: '/events' }
/** `{"session": …}` → `{session_id}`. */
export const START_SESSION: Route = { method: 'POST', path: '/session/start' }
/** `{project, filters, …}` → `{events, totalEvents}`. */
export const EXPORT_EVENTS: Route = { method: 'POST', path: '/events/export' }

/** A route as `METHOD /path` (e.g. `POST /events/batch`): the key of a server's route table. */
export const routeKey = (route: Route): string => `${route.method} ${route.path}`

/** One request to HoneyHive, before the base URL and the key are added. */
export interface HoneyHiveRequest extends Route {
  /** JSON text. */
  body: string
}

/** `POST /session/start` for a session's wire JSON: HoneyHive wants it under `session`. */
export function startSession(session: string): HoneyHiveRequest {
  return { ...START_SESSION, body: `{"session":${session}}` }
}

/** `POST /events/batch` for events' wire JSON, under `events`. HoneyHive documents no size limit. */
export function createEvents(events: readonly string[]): HoneyHiveRequest {
  return { ...CREATE_EVENTS, body: `{"events":[${events.join(',')}]}` }
}

/** `PUT /events` for an update's wire JSON: the body is the flat update itself. */
export function updateEvent(update: string): HoneyHiveRequest {
  return { ...UPDATE_EVENT, body: update }
}

/** The operators of an export filter. */
export const EXPORT_OPERATORS = ['is', 'is not', 'contains', 'not contains', 'greater than'] as const
/** The value types of an export filter. */
export const EXPORT_VALUE_TYPES = ['string', 'number', 'boolean', 'id'] as const

/** A filter of `POST /events/export`: `field` (dotted, e.g. `metadata.cost`) compared with `value`. */
export interface ExportFilter {
  field: string
  value: unknown
  operator: (typeof EXPORT_OPERATORS)[number]
  type?: (typeof EXPORT_VALUE_TYPES)[number]
}

/** `POST /events/export`: the events of `project` that pass every filter. */
export function exportEvents(query: { project: string; filters?: ExportFilter[]; projections?: string[]; limit?: number }): HoneyHiveRequest {
  return { ...EXPORT_EVENTS, body: JSON.stringify(query) }
}

/** The URL of `request` under `base` (trailing slashes of `base` ignored). */
export function routeUrl(base: string, request: Route): string {
  return base.replace(/\/+$/, '') + request.path
}

/** Headers of every request: JSON, and the key as a Bearer token when there is one. */
export function requestHeaders(apiKey?: string): Record<string, string> {
  return { 'Content-Type': 'application/json', ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) }
}
