import type { PollenIssue } from '../errors.js'
import { interpret, type Node } from './interpret.js'
import { findJsonIssues } from './json.js'
import { findTimeIssues } from './time.js'

/**
 * A contract body's shape (a constant of src/check/contract.ts), then the
 * time rules: what a value known to be JSON must satisfy. Issues name each
 * path, as zod would. (Bodies without time fields pass the time rules.)
 */
export function checkShape(body: Node, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const issues = interpret(body, value, [...base])
  return issues.length > 0 ? issues : findTimeIssues(value as Record<string, unknown>, base)
}

/**
 * Everything a body must satisfy, for values from anywhere (a caller, or
 * JSON.parse on a server): first what JSON cannot carry (functions, cycles,
 * NaN, nesting past 64 levels: nothing else walks them), then
 * {@link checkShape}.
 */
export function validate(body: Node, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const json = findJsonIssues(value, [...base])
  return json.length > 0 ? json : checkShape(body, value, base)
}
