import * as z from 'zod/mini'
import type { PollenIssue } from '../errors.js'
import { EXPORT_OPERATORS, EXPORT_VALUE_TYPES } from '../honeyhive/index.js'
import { eventSchema, sessionSchema, updateSchema } from '../schema/index.js'

/**
 * HoneyHive's request schemas as its server applies them: the same fields as
 * Pollen's own schemas, but unknown top-level keys are dropped, not refused.
 */
export const createEventRequest = z.object(eventSchema.shape)
export const sessionStartRequest = z.object(sessionSchema.shape)
export const updateEventRequest = z.object(updateSchema.shape)

export const EVENT_FIELDS = Object.keys(eventSchema.shape)
export const SESSION_FIELDS = Object.keys(sessionSchema.shape)
export const UPDATE_FIELDS = Object.keys(updateSchema.shape)

/** Body of `POST /events/batch`. */
export const batchRequest = z.object({
  events: z.array(z.unknown()),
  is_single_session: z.optional(z.boolean()),
  session_properties: z.optional(z.record(z.string(), z.unknown())),
})

const filter = z.object({
  field: z.string(),
  value: z.unknown(),
  operator: z.enum(EXPORT_OPERATORS),
  type: z.optional(z.enum(EXPORT_VALUE_TYPES)),
})

/** Body of `POST /events/export`. */
export const exportRequest = z.object({
  project: z.string().check(z.minLength(1)),
  filters: z.optional(z.array(filter)),
  dateRange: z.optional(z.object({ $gte: z.optional(z.string()), $lte: z.optional(z.string()) })),
  projections: z.optional(z.array(z.string())),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(7500))),
  page: z.optional(z.int().check(z.minimum(1))),
})

export type ExportRequest = z.infer<typeof exportRequest>

// ECMAScript's date time string format, which Date.parse reads the same everywhere.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/

/**
 * The bounds of an export's `dateRange` that are not ISO 8601 dates. HoneyHive
 * takes ISO strings; anything else parsed to NaN, and a NaN bound matched
 * every event without a word.
 */
export function dateRangeIssues(range: ExportRequest['dateRange']): PollenIssue[] {
  const issues: PollenIssue[] = []
  for (const bound of ['$gte', '$lte'] as const) {
    const value = range?.[bound]
    if (value !== undefined && !(ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)))) {
      const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value
      issues.push({ path: ['dateRange', bound], message: `expected an ISO 8601 date, got ${JSON.stringify(shown)}` })
    }
  }
  return issues
}

/** Copies the known top-level fields of a validated request, dropping the rest. */
export function pick<T extends Record<string, unknown>>(value: Record<string, unknown>, fields: string[]): T {
  const out: Record<string, unknown> = {}
  for (const field of fields) if (value[field] !== undefined) out[field] = value[field]
  return out as T
}
