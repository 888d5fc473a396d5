// @vitest-environment node
/**
 * The browser's checker (the generated contract read by src/check/interpret.ts)
 * against the reference: the zod schema itself, with the same JSON and time
 * rules around it, run in Node. For 10,000 generated inputs per body (valid
 * ones mutated: fields deleted or given wrong types, null, NaN and Infinity
 * deep inside, unknown keys, bad ids, long strings, other event types) both
 * give the same issues: the same verdict, paths, messages and order.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import * as contract from '../../src/check/contract.js'
import { validate } from '../../src/check/index.js'
import { constantOf } from '../support/contract.js'
import { findJsonIssues } from '../../src/check/json.js'
import { findTimeIssues } from '../../src/check/time.js'
import { check, envelopeResultSchema, envelopeSchema, eventSchema, sessionSchema, updateSchema } from '../../src/schema/index.js'
import seed from '../fixtures/seed-event.json'

type Json = Record<string, unknown>

type Body = keyof typeof SCHEMAS
const SCHEMAS = { event: eventSchema, update: updateSchema, session: sessionSchema, envelope: envelopeSchema, envelopeResult: envelopeResultSchema }

/**
 * zod goes on checking a value of the wrong type where it can (an array for a
 * non-empty string also gets "expected at least 1"); the checker stops at the
 * type, so only the first issue at each path is compared.
 */
function firstPerPath(issues: { path: (string | number)[]; message: string }[]) {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = JSON.stringify(issue.path)
    return !seen.has(key) && seen.add(key)
  })
}

const node = (body: Body) => contract[constantOf(body) as keyof typeof contract]

/** The reference: zod, with the rules it does not hold (JSON, times) in the same order as the checker. */
function reference(body: Body, value: unknown) {
  const json = findJsonIssues(value)
  if (json.length > 0) return json
  const shape = firstPerPath(check(SCHEMAS[body], value))
  if (shape.length > 0 || body === 'envelope' || body === 'envelopeResult') return shape
  return findTimeIssues(value as Json)
}

const uuid = fc.uuid({ version: 4 })
const badId = fc.oneof(
  uuid.map((id) => id.toUpperCase()),
  fc.uuid({ version: 1 }),
  fc.constantFrom('', 'not-an-id', '00000000-0000-4000-8000-00000000000'),
  uuid.map((id) => `${id} `),
)
/** Values that break something somewhere. */
const junk = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -5000, 1.5, 1e21, 2 ** 53, -0, 0),
  fc.constantFrom('model', 'tool', 'chain', 'session', 'Model', 'event', 'update'),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), uuid)),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
  uuid,
  badId,
)
const extraKey = fc.constantFrom('eventName', '__proto__', 'constructor', 'toString', 'extra', 'event_id ', '')

/** One change to a valid value. */
type Mutation = { op: 'set'; key: string; value: unknown } | { op: 'delete'; key: string } | { op: 'deep'; key: string; path: string[]; value: unknown }

function mutations(keys: string[], deepKeys: string[]): fc.Arbitrary<Mutation[]> {
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('set' as const), key: fc.oneof(fc.constantFrom(...keys), extraKey), value: junk }),
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
    fc.record({ op: fc.constant('deep' as const), key: fc.constantFrom(...deepKeys), path: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('0', '1')), { minLength: 1, maxLength: 3 }), value: junk }),
  )
  return fc.array(mutation, { minLength: 1, maxLength: 3 })
}

/** Sets an own property as JSON.parse would, even for `__proto__`. */
const put = (target: Json | unknown[], key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })

function apply(valid: Json, changes: Mutation[]): Json {
  const value: Json = structuredClone(valid)
  for (const change of changes) {
    if (change.op === 'delete') delete value[change.key]
    else if (change.op === 'set') put(value, change.key, change.value)
    else {
      let at: unknown = value[change.key]
      for (const step of change.path.slice(0, -1)) {
        if (typeof at !== 'object' || at === null) break
        at = (at as Json)[step]
      }
      if (typeof at === 'object' && at !== null) put(at as Json, change.path.at(-1)!, change.value)
    }
  }
  return value
}

const event = fc.record({ event_id: uuid, session_id: uuid, parent_id: uuid, start: fc.nat({ max: 2e12 }), duration: fc.double({ min: 0, max: 1e6, noNaN: true }) }).map(
  ({ event_id, session_id, parent_id, start, duration }): Json => ({ ...seed, event_id, session_id, parent_id, start_time: start, end_time: Math.round(start + duration), duration, children_ids: [] }),
)
const session = fc.record({ session_id: uuid, name: fc.string({ minLength: 1, maxLength: 10 }) }).map(
  ({ session_id, name }): Json => ({ project: 'Simple RAG', session_name: name, source: 'production', session_id, user_properties: { user_id: 'u' }, start_time: 1_700_000_000_000 }),
)
const update = fc.record({ event_id: uuid, rating: fc.boolean() }).map(({ event_id, rating }): Json => ({ event_id, feedback: { rating }, metadata: { n: 1 }, duration: 12.5 }))
const envelope = fc.record({ sessions: fc.array(session, { maxLength: 2 }), events: fc.array(event, { maxLength: 2 }), updates: fc.array(update, { maxLength: 2 }) }).map((v): Json => v)
const envelopeResult = fc.record({
  accepted: fc.array(uuid, { maxLength: 3 }),
  rejected: fc.array(fc.record({ id: uuid, kind: fc.constantFrom('session', 'event', 'update'), code: fc.string({ maxLength: 5 }), message: fc.string({ maxLength: 10 }) }), { maxLength: 2 }),
}).map((v): Json => v)

const CASES: [Body, fc.Arbitrary<Json>, string[]][] = [
  ['event', event, ['inputs', 'config', 'metadata', 'children_ids', 'outputs', 'feedback', 'user_properties']],
  ['update', update, ['feedback', 'metadata']],
  ['session', session, ['user_properties']],
  ['envelope', envelope, ['sessions', 'events', 'updates']],
  ['envelopeResult', envelopeResult, ['accepted', 'rejected']],
]

describe.each(CASES)('%s', (body, valid, deepKeys) => {
  test('valid values pass both', () => {
    fc.assert(fc.property(valid, (value) => validate(node(body), value).length === 0 && reference(body, value).length === 0), { numRuns: 1000 })
  })

  test('10,000 mutated values: the same issues, paths and messages as zod', () => {
    const keys = [...new Set(Object.keys(fc.sample(valid, 1)[0]!).concat(Object.keys(SCHEMAS[body].shape)))]
    const inputs = fc.oneof({ weight: 19, arbitrary: fc.tuple(valid, mutations(keys, deepKeys)).map(([v, m]) => apply(v, m)) }, { weight: 1, arbitrary: fc.anything() })
    let refused = 0
    fc.assert(
      fc.property(inputs, (value) => {
        const expected = reference(body, value)
        expect(validate(node(body), value)).toEqual(expected)
        if (expected.length > 0) refused++
      }),
      { numRuns: 10_000 },
    )
    // The generator is worth something only if most inputs are wrong somewhere.
    expect(refused).toBeGreaterThan(5000)
  }, 60_000) // 10,000 inputs per body through both checkers: seconds on a busy 2-core machine
})
