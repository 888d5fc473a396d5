import type { PollenIssue } from '../errors.js'
import { UUID_V4 } from './ids.js'
import { kindOf } from './json.js'

/** The JSON Schema subset the contract uses (see src/check/contract.ts). */
export interface Node {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean'
  readonly properties?: { readonly [name: string]: Node }
  readonly required?: readonly string[]
  readonly additionalProperties?: false
  readonly items?: Node
  readonly enum?: readonly unknown[]
  readonly minLength?: number
  readonly pattern?: string
  readonly minimum?: number
  readonly maximum?: number
}

type Path = (string | number)[]

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array', integer: 'an integer', string: 'a string', number: 'a number', boolean: 'a boolean' }

/** Names of what a pattern accepts, for messages; the contract has one. */
const PATTERN_NAMES: Record<string, string> = { [UUID_V4.source]: 'a lowercase UUIDv4' }

// Compiled once per pattern: `new RegExp` is not eval, and strict CSPs allow it.
const patterns = new Map<string, RegExp>()
const matches = (pattern: string, text: string) => {
  let regex = patterns.get(pattern)
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern)))
  return regex.test(text)
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function fitsType(type: Node['type'], value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value)
    case 'array':
      return Array.isArray(value)
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case undefined:
      return true
    default:
      return typeof value === type
  }
}

/**
 * Checks `value` against a contract node and appends what is wrong, with the
 * paths and messages that validating with the zod schema gives: the same
 * order (fields in the schema's order, unknown fields last), the same words.
 * Written as a loop over data, with no code generated at run time, so that it
 * runs under a CSP without `'unsafe-eval'`.
 */
export function interpret(node: Node, value: unknown, path: Path = [], issues: PollenIssue[] = []): PollenIssue[] {
  const push = (message: string, at: Path = path) => issues.push({ path: [...at], message })
  if (node.enum) {
    if (!node.enum.includes(value)) push(`expected one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value) ?? kindOf(value)}`)
    return issues
  }
  if (!fitsType(node.type, value)) {
    // zod calls a non-number "not a number" even where an integer is wanted.
    const expected = ARTICLE[node.type === 'integer' && typeof value !== 'number' ? 'number' : node.type!]
    push(value === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${kindOf(value)}`)
    return issues
  }
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) push('expected a non-empty string')
    if (node.pattern !== undefined && !matches(node.pattern, value)) push(`expected ${PATTERN_NAMES[node.pattern] ?? `to match /${node.pattern}/`}, got ${JSON.stringify(value)}`)
  } else if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) push(`expected at least ${node.minimum}`)
    if (node.maximum !== undefined && value > node.maximum) push(`expected at most ${node.maximum}`)
  } else if (Array.isArray(value)) {
    if (node.items) value.forEach((item, index) => interpret(node.items!, item, [...path, index], issues))
  } else if (node.properties) {
    const object = value as Record<string, unknown>
    for (const [name, child] of Object.entries(node.properties)) {
      const field = object[name]
      if (field !== undefined || node.required?.includes(name)) interpret(child, field, [...path, name], issues)
    }
    if (node.additionalProperties === false) {
      const unknown = Object.keys(object).filter((key) => !Object.hasOwn(node.properties!, key))
      if (unknown.length > 0) push(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`)
    }
  }
  return issues
}
