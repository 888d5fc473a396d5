import { invalidEvent, type PollenIssue } from '../errors.js'
import { checkShape, EVENT, UPDATE, findJsonIssues, findTimeIssues, isPlainObject, kindOf, utf8Length } from '../check/index.js'
import type { EventUpdate, HoneyHiveEvent, UpdateFields } from '../schema/index.js'
import { uuid } from './uuid.js'

/** Fields the client fills when the caller leaves them out. */
type Filled = 'project' | 'source' | 'config' | 'inputs' | 'duration'

/**
 * What `log()` takes: a HoneyHive event of which only `event_name` and
 * `event_type` are required. Ids, times, `config` and `inputs` are filled in.
 */
export type LogInput = Omit<HoneyHiveEvent, Filled> & Partial<Pick<HoneyHiveEvent, Filled>>

/** What the client fills into every event. */
export interface EventContext {
  project: string
  source: string
  sessionId: string
  userProperties?: Record<string, unknown>
  maxEventBytes: number
}

/** A validated item ready for the queue: its wire JSON and size. */
export interface Built<T> {
  value: T
  json: string
  bytes: number
}

/** Copies own fields, leaving out `undefined` and `null`: HoneyHive takes no nulls. */
function present(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key in input) {
    const value = input[key]
    if (value !== undefined && value !== null) out[key] = value
  }
  return out
}

function rootIssues(input: unknown, what: string): PollenIssue[] {
  if (isPlainObject(input)) return findJsonIssues(input)
  return [{ path: [], message: `expected ${what} object, got ${kindOf(input)}` }]
}

/** Serialises a validated value and enforces the size cap. */
function serialise<T>(value: T, what: string, maxBytes: number): Built<T> {
  const json = JSON.stringify(value)
  const bytes = utf8Length(json)
  if (bytes > maxBytes) throw invalidEvent(what, [{ path: [], message: `expected at most ${maxBytes} bytes of JSON, got ${bytes} (maxEventBytes)` }])
  return { value, json, bytes }
}

/**
 * Fills the defaults of an event (ids, times, `config`, `inputs`, user
 * properties) and validates it. Throws `invalid-event` naming every bad path.
 */
export function fillEvent(input: unknown, context: EventContext, now = Date.now()): HoneyHiveEvent {
  const issues = rootIssues(input, 'an event')
  if (issues.length > 0) throw invalidEvent('event', issues)
  const event = present(input as Record<string, unknown>)
  // The caller's own times first, before any is derived from another: a wrong
  // one throws as given, and is never silently replaced.
  const times = callerTimeIssues(event)
  if (times.length > 0) throw invalidEvent('event', times)
  event.project ??= context.project
  event.source ??= context.source
  event.event_id ??= uuid()
  event.session_id ??= context.sessionId
  event.parent_id ??= event.session_id
  event.config ??= {}
  event.inputs ??= {}
  fillTimes(event as Times, now)
  if (context.userProperties) event.user_properties = { ...context.userProperties, ...(event.user_properties as object | undefined) }
  return event as HoneyHiveEvent
}

const TIME_FIELDS = ['start_time', 'end_time', 'duration'] as const

/** The caller's time fields: numbers (an integer for `end_time`) within the time rules. */
function callerTimeIssues(event: Record<string, unknown>): PollenIssue[] {
  const issues: PollenIssue[] = []
  for (const field of TIME_FIELDS) {
    const value = event[field]
    if (value !== undefined && typeof value !== 'number') issues.push({ path: [field], message: `expected a number, got ${kindOf(value)}` })
  }
  return issues.length > 0 ? issues : findTimeIssues(event)
}

/** An event's time fields, once {@link callerTimeIssues} found them numbers or absent. */
interface Times {
  start_time?: number
  end_time?: number
  duration?: number
}

/** Start, end and duration from whichever of them the caller gave. */
function fillTimes(event: Times, now: number): void {
  const { start_time: start, duration } = event
  if (duration !== undefined) {
    event.end_time ??= start !== undefined ? Math.round(start + duration) : now
    event.start_time ??= event.end_time - duration
  } else {
    event.end_time ??= now
    event.start_time ??= event.end_time
    event.duration = event.end_time - event.start_time
  }
}

/** Validates a filled event and serialises it. */
export function buildEvent(event: HoneyHiveEvent, maxEventBytes: number): Built<HoneyHiveEvent> {
  // The proxy checks the same: throwing here keeps log() from returning an id the server will drop.
  const issues = checkShape(EVENT, event)
  if (issues.length > 0) throw invalidEvent('event', issues)
  return serialise(event, 'event', maxEventBytes)
}

/** Builds and validates an update of `eventId`. */
export function buildUpdate(eventId: unknown, fields: unknown, maxBytes: number): Built<EventUpdate> {
  const issues = rootIssues(fields, 'an update')
  if (issues.length > 0) throw invalidEvent('update', issues)
  const update = { event_id: eventId, ...present(fields as Record<string, unknown>) } as EventUpdate
  const schemaIssues = checkShape(UPDATE, update)
  if (schemaIssues.length > 0) throw invalidEvent('update', schemaIssues)
  if (Object.keys(update).length === 1) throw invalidEvent('update', [{ path: [], message: 'expected at least one field to update' }])
  return serialise(update, 'update', maxBytes)
}

/** Re-checks what `beforeSend` returned for values JSON cannot carry. */
export function checkReturned(event: unknown): void {
  const issues = rootIssues(event, 'an event')
  if (issues.length > 0) throw invalidEvent('event returned by beforeSend', issues)
}

export type { UpdateFields }
