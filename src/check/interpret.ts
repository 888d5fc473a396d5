import type { PollenIssue } from '../errors.js'
import { UUID_V4 } from './ids.js'
import { kindOf } from './json.js'

/**
 * A node of the contract (src/check/contract.ts, generated from the zod
 * schemas' JSON Schema):
 * - a leaf: `s` a string, `s+` a non-empty string, `u` a lowercase UUIDv4,
 *   `n` a finite number, `i` a safe integer, `b` a boolean, `o` any object;
 * - `[node]`: an array of `node`;
 * - `{ e: values }`: one of `values`;
 * - `{ f: fields, x?: 1 }`: an object with these fields (`name?` when
 *   optional), refusing unknown ones when `x` is set.
 */
export type Node = Leaf | readonly [Node] | { readonly e: readonly unknown[] } | { readonly f: { readonly [name: string]: Node }; readonly x?: 1 }
type Leaf = 's' | 's+' | 'u' | 'n' | 'i' | 'b' | 'o'

type Path = (string | number)[]

const SAFE = Number.MAX_SAFE_INTEGER

// Array.isArray does not narrow a readonly tuple.
const isList = (node: Node): node is readonly [Node] => Array.isArray(node)

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a leaf expects, as messages say it, and whether a value is of that type. */
function expectation(leaf: Leaf, value: unknown): string | undefined {
  switch (leaf) {
    case 'n':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number'
    case 'i':
      // zod calls a non-number "not a number" even where an integer is wanted.
      return typeof value !== 'number' ? 'a number' : Number.isInteger(value) ? undefined : 'an integer'
    case 'b':
      return typeof value === 'boolean' ? undefined : 'a boolean'
    case 'o':
      return isObject(value) ? undefined : 'an object'
    default:
      return typeof value === 'string' ? undefined : 'a string'
  }
}

/**
 * Checks `value` against a contract node and appends what is wrong, with the
 * paths and messages that validating with the zod schema gives: the same
 * order (fields in the schema's order, unknown fields last), the same words.
 * A loop over data, with no code generated at run time, so that it runs under
 * a CSP without `'unsafe-eval'`.
 */
export function interpret(node: Node, value: unknown, path: Path = [], issues: PollenIssue[] = []): PollenIssue[] {
  const push = (message: string) => issues.push({ path: [...path], message })
  const wrongType = (expected: string) => push(value === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${kindOf(value)}`)

  if (typeof node === 'string') {
    const expected = expectation(node, value)
    if (expected) wrongType(expected)
    else if (node === 's+' && (value as string).length === 0) push('expected a non-empty string')
    else if (node === 'u' && !UUID_V4.test(value as string)) push(`expected a lowercase UUIDv4, got ${JSON.stringify(value)}`)
    else if (node === 'i' && Math.abs(value as number) > SAFE) push((value as number) > 0 ? `expected at most ${SAFE}` : `expected at least ${-SAFE}`)
  } else if (isList(node)) {
    if (!Array.isArray(value)) wrongType('an array')
    else value.forEach((item, index) => interpret(node[0], item, [...path, index], issues))
  } else if ('e' in node) {
    if (!node.e.includes(value)) push(`expected one of ${node.e.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value) ?? kindOf(value)}`)
  } else if (!isObject(value)) {
    wrongType('an object')
  } else {
    const names: string[] = []
    for (const [key, child] of Object.entries(node.f)) {
      const optional = key.endsWith('?')
      const name = optional ? key.slice(0, -1) : key
      names.push(name)
      if (value[name] !== undefined || !optional) interpret(child, value[name], [...path, name], issues)
    }
    if (node.x) {
      const unknown = Object.keys(value).filter((key) => !names.includes(key))
      if (unknown.length > 0) push(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`)
    }
  }
  return issues
}
