import type { PollenIssue } from '../errors.js'
import { CONTRACT } from './contract.js'
import { interpret } from './interpret.js'
import { findJsonIssues } from './json.js'
import { findTimeIssues } from './time.js'

/** A body of the wire contract: `event`, `update`, `session`, `envelope` or `envelopeResult`. */
export type Body = keyof typeof CONTRACT

const TIMED: ReadonlySet<Body> = new Set(['event', 'update', 'session'])

/**
 * The contract's shape, then (for items) the time rules: what a value that is
 * known to be JSON must satisfy. Issues name each path, as zod would.
 */
export function checkShape(body: Body, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const issues = interpret(CONTRACT[body], value, base)
  if (issues.length > 0 || !TIMED.has(body)) return issues
  return findTimeIssues(value as Record<string, unknown>, base)
}

/**
 * Everything a body must satisfy, for values from anywhere (a caller, or
 * JSON.parse on a server): first what JSON cannot carry (functions, cycles,
 * NaN, nesting past 64 levels: nothing else walks them), then
 * {@link checkShape}.
 */
export function validate(body: Body, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const json = findJsonIssues(value, [...base])
  return json.length > 0 ? json : checkShape(body, value, base)
}
