import type { PollenIssue } from '../errors.js'

/** Latest time (and longest duration) in ms that survives every JSON parser exactly. */
export const MAX_TIME = Number.MAX_SAFE_INTEGER

const inRange = (value: unknown) => typeof value !== 'number' || (value >= 0 && value <= MAX_TIME)

/**
 * HoneyHive's time fields beyond their types: `start_time`, `end_time` and
 * `duration` are ms from 0 to 2^53 − 1, and `end_time` is not before
 * `start_time`. Wrong types are the schema's to report; this only reads numbers.
 */
export function findTimeIssues(item: Record<string, unknown>, base: (string | number)[] = []): PollenIssue[] {
  const issues: PollenIssue[] = []
  const outside = (field: string) => {
    const value = item[field]
    if (!inRange(value)) issues.push({ path: [...base, field], message: `expected a number from 0 to ${MAX_TIME}, got ${value}` })
  }
  outside('start_time')
  outside('end_time')
  const { start_time: start, end_time: end } = item
  if (issues.length === 0 && typeof start === 'number' && typeof end === 'number' && end < start) {
    issues.push({ path: [...base, 'end_time'], message: `expected a time not before start_time (${start}), got ${end}` })
  }
  // A duration computed from wrong times would only repeat their issue.
  if (issues.length === 0) outside('duration')
  return issues
}
