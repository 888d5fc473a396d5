import { formatIssues } from '../errors.js'
import { applyUpdate, batchAnswer, CREATE_EVENT, CREATE_EVENTS, errorBody, EXPORT_EVENTS, routeKey, START_SESSION, UPDATE_EVENT } from '../honeyhive/index.js'
import { check, checkParsed, findJsonIssues, MAX_DEPTH, type EventUpdate } from '../schema/index.js'
import type { EventDb, StoredEvent } from './db.js'
import { exportEvents } from './export.js'
import { nestsDeeperThan } from './nesting.js'
import {
  batchRequest,
  createEventRequest,
  dateRangeIssues,
  EVENT_FIELDS,
  exportRequest,
  pick,
  SESSION_FIELDS,
  sessionStartRequest,
  UPDATE_FIELDS,
  updateEventRequest,
} from './requests.js'

/** A request as the API sees it, whatever server carried it. */
export interface ApiRequest {
  method: string
  /** Path below the collector's mount point, e.g. `/events/batch`. */
  path: string
  authorization?: string
  /** The raw body text. */
  body: string
}

/** The collector's answer, before a server writes it. */
export interface ApiResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** An answer with HoneyHive's error body. */
export function failure(status: number, errorCode: string, message: string): ApiResponse {
  return { status, body: errorBody(status, errorCode, message) }
}

/**
 * Deepest nesting of a body that is parsed at all. Twice MAX_DEPTH: values a
 * little too deep are parsed and get a message naming their path (from
 * `checkParsed`), and nothing walks a hostile depth.
 */
const BODY_DEPTH = 2 * MAX_DEPTH

/** Methods of the collector's routes; others get 405 on any path. */
const METHODS = ['GET', 'POST', 'PUT']

/**
 * HoneyHive's legacy Events API on an {@link EventDb}: validation as its
 * request schemas, idempotent creates by `event_id`, merge semantics on
 * update, export with its filter operators, and `GET /stats` for counting.
 */
export function createApi(db: EventDb, apiKey?: string) {
  /** Validates and stores events; `pathOf(i)` names event i in messages (`events[3]`, or `event` alone). */
  const storeEvents = (events: unknown[], pathOf: (index: number) => (string | number)[]) => {
    const valid: StoredEvent[] = []
    const errors: string[] = []
    events.forEach((event, index) => {
      const issues = checkParsed(createEventRequest, event, pathOf(index))
      if (issues.length > 0) errors.push(formatIssues(issues))
      else valid.push(pick<StoredEvent>(event as Record<string, unknown>, EVENT_FIELDS))
    })
    db.received(events.length)
    for (const event of valid) event.event_id ??= crypto.randomUUID()
    db.insert(valid)
    return { ids: valid.map((event) => event.event_id), errors }
  }

  const routes: Record<string, (body: unknown) => ApiResponse> = {
    [routeKey(CREATE_EVENT)](body) {
      const event = (body as { event?: unknown } | null)?.event
      if (event === undefined) return failure(400, 'VALIDATION_ERROR', 'event: required: expected an object')
      const { ids, errors } = storeEvents([event], () => ['event'])
      if (errors.length > 0) return failure(400, 'VALIDATION_ERROR', errors[0]!)
      return { status: 200, body: { event_id: ids[0], success: true } }
    },

    [routeKey(CREATE_EVENTS)](body) {
      const issues = check(batchRequest, body)
      const request = body as { events: unknown[]; session_properties?: Record<string, unknown> }
      // Not stored, but read and copied: the depth rule holds for it too.
      if (issues.length === 0 && request.session_properties) issues.push(...findJsonIssues(request.session_properties, ['session_properties']))
      if (issues.length > 0) return failure(400, 'VALIDATION_ERROR', formatIssues(issues))
      const events = request.session_properties?.session_id
        ? request.events.map((e) => (e && typeof e === 'object' && !('session_id' in e) ? { ...e, session_id: request.session_properties!.session_id } : e))
        : request.events
      const { ids, errors } = storeEvents(events, (index) => ['events', index])
      const sessionId = (request.session_properties?.session_id as string | undefined) ?? undefined
      // A batch with invalid items is a partial success, listing what was created.
      return batchAnswer(ids, errors, sessionId)
    },

    [routeKey(UPDATE_EVENT)](body) {
      const issues = checkParsed(updateEventRequest, body)
      if (issues.length > 0) return failure(400, 'VALIDATION_ERROR', formatIssues(issues))
      const update = pick<EventUpdate>(body as Record<string, unknown>, UPDATE_FIELDS)
      const found = db.update(update.event_id, (event) => applyUpdate(event, update))
      if (!found) return failure(404, 'NOT_FOUND', `event_id: no event or session ${update.event_id}`)
      return { status: 200 }
    },

    [routeKey(START_SESSION)](body) {
      const session = (body as { session?: unknown } | null)?.session
      const issues = checkParsed(sessionStartRequest, session, ['session'])
      if (issues.length > 0) return failure(400, 'VALIDATION_ERROR', formatIssues(issues))
      const fields = pick<Record<string, unknown>>(session as Record<string, unknown>, SESSION_FIELDS)
      const id = (fields.session_id as string | undefined) ?? crypto.randomUUID()
      const { session_name: name, session_id: _, ...rest } = fields
      db.received(1)
      // A session is an event of type `session` whose id is the session id.
      db.insert([{ ...rest, event_id: id, session_id: id, event_name: name, event_type: 'session', project: fields.project as string }])
      return { status: 200, body: { session_id: id } }
    },

    [routeKey(EXPORT_EVENTS)](body) {
      // Filter values are any JSON: the depth rule holds for them as for events.
      const issues = findJsonIssues(body)
      if (issues.length === 0) issues.push(...check(exportRequest, body))
      if (issues.length > 0) return failure(400, 'VALIDATION_ERROR', formatIssues(issues))
      const request = exportRequest.parse(body)
      const dates = dateRangeIssues(request.dateRange)
      if (dates.length > 0) return failure(400, 'VALIDATION_ERROR', formatIssues(dates))
      return { status: 200, body: exportEvents(db.project(request.project), request) }
    },
  }

  return function handle(request: ApiRequest): ApiResponse {
    const { method, path } = request
    if (!METHODS.includes(method)) return { ...failure(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`), headers: { Allow: 'GET, POST, PUT, OPTIONS' } }
    // A fixed message: it must never quote the key, expected or sent.
    if (apiKey !== undefined && request.authorization !== `Bearer ${apiKey}`) {
      return failure(401, 'UNAUTHORIZED', 'Missing or invalid API key: send Authorization: Bearer <key>')
    }
    if (method === 'GET' && path === '/stats') return { status: 200, body: db.counts() }
    const session = /^\/session\/([^/]+)$/.exec(path)
    if (method === 'GET' && session) {
      const raw = session[1]!
      let id: string
      try {
        id = decodeURIComponent(raw)
      } catch {
        return failure(400, 'VALIDATION_ERROR', `session_id: malformed percent-encoding in ${JSON.stringify(raw)}`)
      }
      const found = db.get(id)
      return found?.event_type === 'session' ? { status: 200, body: found } : failure(404, 'NOT_FOUND', `no session ${raw}`)
    }
    const route = routes[`${method} ${path}`]
    if (!route) {
      const allowed = Object.keys(routes).filter((key) => key.endsWith(` ${path}`)).map((key) => key.split(' ')[0]!)
      if (allowed.length === 0) return failure(404, 'NOT_FOUND', `no route ${path}`)
      return { ...failure(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`), headers: { Allow: [...allowed, 'OPTIONS'].join(', ') } }
    }
    if (nestsDeeperThan(request.body, BODY_DEPTH)) {
      return failure(400, 'VALIDATION_ERROR', `(root): expected at most ${MAX_DEPTH} levels of nesting`)
    }
    let body: unknown
    try {
      body = JSON.parse(request.body)
    } catch {
      return failure(400, 'INVALID_JSON', 'The body is not valid JSON')
    }
    return route(body)
  }
}
