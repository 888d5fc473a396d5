import type { PollenIssue } from '../errors.js'
import { UUID_V4 } from './ids.js'
import { isObject, kindOf } from './json.js'

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

/** An object node's fields, read once: the description is data, and log() is hot. */
interface Fields {
  list: { name: string; node: Node; optional: boolean }[]
  names: Set<string>
}
const fieldsOf = new WeakMap<object, Fields>()

function fields(node: { readonly f: { readonly [name: string]: Node } }): Fields {
  let known = fieldsOf.get(node)
  if (!known) {
    const list = Object.entries(node.f).map(([key, child]) => ({ name: key.replace(/\?$/, ''), node: child, optional: key.endsWith('?') }))
    fieldsOf.set(node, (known = { list, names: new Set(list.map((field) => field.name)) }))
  }
  return known
}

/**
 * Checks `value` against a contract node and appends what is wrong, with the
 * paths and messages that validating with the zod schema gives: the same
 * order (fields in the schema's order, unknown fields last), the same words.
 * A loop over data, with no code generated at run time, so that it runs under
 * a CSP without `'unsafe-eval'`. `path` is a stack it pushes to and pops.
 */
export function interpret(node: Node, value: unknown, path: Path = [], issues: PollenIssue[] = []): PollenIssue[] {
  let message: string | undefined
  if (typeof node === 'string') {
    const expected = expectation(node, value)
    if (expected) message = wrongType(expected, value)
    else if (node === 's+' && (value as string).length === 0) message = 'expected a non-empty string'
    else if (node === 'u' && !UUID_V4.test(value as string)) message = `expected a lowercase UUIDv4, got ${JSON.stringify(value)}`
    else if (node === 'i' && Math.abs(value as number) > SAFE) message = (value as number) > 0 ? `expected at most ${SAFE}` : `expected at least ${-SAFE}`
  } else if (isList(node)) {
    if (!Array.isArray(value)) message = wrongType('an array', value)
    else
      for (let i = 0; i < value.length; i++) {
        path.push(i)
        interpret(node[0], value[i], path, issues)
        path.pop()
      }
  } else if ('e' in node) {
    if (!node.e.includes(value)) message = `expected one of ${node.e.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value) ?? kindOf(value)}`
  } else if (!isObject(value)) {
    message = wrongType('an object', value)
  } else {
    const { list, names } = fields(node)
    for (const field of list) {
      const child = value[field.name]
      if (child === undefined && field.optional) continue
      path.push(field.name)
      interpret(field.node, child, path, issues)
      path.pop()
    }
    const unknown = node.x ? Object.keys(value).filter((key) => !names.has(key)) : []
    if (unknown.length > 0) message = `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`
  }
  if (message) issues.push({ path: [...path], message })
  return issues
}

const wrongType = (expected: string, value: unknown) => (value === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${kindOf(value)}`)
