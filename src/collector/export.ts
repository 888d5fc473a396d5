import type { ExportFilter } from '../honeyhive/index.js'
import type { StoredEvent } from './db.js'
import type { ExportRequest } from './requests.js'

/** Reads a dotted path such as `metadata.cost` or `feedback.rating`, own properties only. */
function valueAt(event: StoredEvent, field: string): unknown {
  let value: unknown = event
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function coerce(value: unknown, type: ExportFilter['type']): unknown {
  if (type === 'number') return typeof value === 'number' ? value : Number(value)
  if (type === 'boolean') return typeof value === 'boolean' ? value : value === 'true'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** HoneyHive's filter operators: is, is not, contains, not contains, greater than. */
function matches(event: StoredEvent, filter: ExportFilter): boolean {
  const actual = valueAt(event, filter.field)
  if (filter.operator === 'greater than') return typeof actual === 'number' && actual > Number(filter.value)
  if (filter.operator === 'contains' || filter.operator === 'not contains') {
    const hit = typeof actual === 'string' && actual.includes(String(filter.value))
    return filter.operator === 'contains' ? hit : !hit
  }
  const equal = actual !== undefined && coerce(actual, filter.type) === coerce(filter.value, filter.type)
  return filter.operator === 'is' ? equal : !equal
}

/** Applies an export request to a project's events: filters, date range (ISO bounds, checked before), paging, projections. */
export function exportEvents(events: StoredEvent[], request: ExportRequest): { events: Record<string, unknown>[]; totalEvents: number } {
  const from = request.dateRange?.$gte ? Date.parse(request.dateRange.$gte) : -Infinity
  const to = request.dateRange?.$lte ? Date.parse(request.dateRange.$lte) : Infinity
  const selected = events.filter((event) => {
    const start = typeof event.start_time === 'number' ? event.start_time : undefined
    if ((from !== -Infinity || to !== Infinity) && (start === undefined || start < from || start > to)) return false
    return (request.filters ?? []).every((filter) => matches(event, filter))
  })
  const limit = request.limit ?? 1000
  const page = request.page ?? 1
  const slice = selected.slice((page - 1) * limit, page * limit)
  const fields = request.projections?.length ? ['event_id', ...request.projections] : undefined
  // Own fields only: `in` also finds `__proto__` and `constructor` on every object.
  const projected = fields ? slice.map((event) => Object.fromEntries(fields.filter((f) => Object.hasOwn(event, f)).map((f) => [f, event[f]]))) : slice
  return { events: projected, totalEvents: selected.length }
}
