import type * as z from 'zod/mini'
import type { PollenIssue } from '../errors.js'
import { findJsonIssues, kindOf } from '../check/json.js'

type ZodIssue = z.core.$ZodIssue

const FORMATS: Record<string, string> = {
  regex: 'a lowercase UUIDv4',
}

/**
 * Turns one zod issue into an English message. `zod/mini` ships no messages of
 * its own (a locale would cost ~1 kB), so Pollen writes its own.
 */
function messageOf(issue: ZodIssue, root: unknown): string {
  const got = kindOf(valueAt(root, issue.path))
  switch (issue.code) {
    case 'invalid_type':
      if (got === 'undefined') return `required: expected ${article(issue.expected)}`
      return `expected ${article(issue.expected)}, got ${got}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(root, issue.path)) ?? got}`
    case 'too_small':
      return issue.origin === 'string' ? 'expected a non-empty string' : `expected at least ${issue.minimum}`
    case 'too_big':
      return `expected at most ${issue.maximum}`
    case 'invalid_format':
      return `expected ${FORMATS[issue.format] ?? issue.format}, got ${JSON.stringify(valueAt(root, issue.path))}`
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'custom':
      return `expected ${(issue.params?.expected as string | undefined) ?? 'a valid value'}, got ${got}`
    default:
      return `invalid value (${issue.code})`
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer'
  if (expected === 'record') return 'an object'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/** Maps zod issues to Pollen's `{ path, message }`, prefixing `base` to each path. */
export function toIssues(issues: readonly ZodIssue[], root: unknown, base: (string | number)[] = []): PollenIssue[] {
  return issues.map((issue) => ({
    path: [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: messageOf(issue, root),
  }))
}

/**
 * Validates `value` with `schema` and returns the issues with paths, or an
 * empty list. Used by the client, the proxy and the collector alike.
 */
export function check(schema: z.ZodMiniType, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const result = schema.safeParse(value)
  return result.success ? [] : toIssues(result.error.issues, value, base)
}

/**
 * For values that came from JSON.parse on a server: refuses what the client
 * would have refused too (nesting past MAX_DEPTH, `1e400` read as Infinity),
 * then checks the schema.
 */
export function checkParsed(schema: z.ZodMiniType, value: unknown, base: (string | number)[] = []): PollenIssue[] {
  const json = findJsonIssues(value, [...base])
  return json.length > 0 ? json : check(schema, value, base)
}
