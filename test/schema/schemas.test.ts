import { describe, expect, test } from 'vitest'
import { check, envelopeSchema, eventSchema, sessionSchema, updateSchema } from '../../src/schema/index.js'

import seed from '../fixtures/seed-event.json'

describe('eventSchema', () => {
  test('accepts the seed event as it is', () => {
    expect(check(eventSchema, seed)).toEqual([])
  })

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing event_name', { event_name: undefined }, 'event_name', /required: expected a string/],
    ['event_type session', { event_type: 'session' }, 'event_type', /one of "model", "tool", "chain", got "session"/],
    ['empty project', { project: '' }, 'project', /non-empty string/],
    ['config not an object', { config: 'x' }, 'config', /expected an object, got string/],
    ['null inputs', { inputs: null }, 'inputs', /expected an object, got null/],
    ['fractional end_time', { end_time: 1.5 }, 'end_time', /expected an integer/],
    ['string duration', { duration: '10' }, 'duration', /expected a number, got string/],
    ['uppercase id', { event_id: seed.event_id.toUpperCase() }, 'event_id', /lowercase UUIDv4/],
    ['unknown field', { eventName: 'x' }, '', /unknown field "eventName"/],
  ]
  test.each(cases)('refuses %s, naming the path', (_name, patch, path, message) => {
    const issues = check(eventSchema, { ...seed, ...patch })
    expect(issues).toHaveLength(1)
    expect(issues[0]!.path.join('.')).toBe(path)
    expect(issues[0]!.message).toMatch(message)
  })
})

describe('updateSchema', () => {
  test('takes the updatable fields and refuses inputs', () => {
    expect(check(updateSchema, { event_id: seed.event_id, feedback: { rating: true }, metadata: {}, duration: 3 })).toEqual([])
    expect(check(updateSchema, { event_id: seed.event_id, inputs: {} })[0]!.message).toMatch(/unknown field "inputs"/)
  })
})

describe('sessionSchema', () => {
  test('needs project, session_name and source', () => {
    const issues = check(sessionSchema, { project: 'p' })
    expect(issues.map((i) => i.path.join('.')).sort()).toEqual(['session_name', 'source'])
  })
})

describe('envelopeSchema', () => {
  test('takes optional arrays of objects and nothing else', () => {
    expect(envelopeSchema.safeParse({}).success).toBe(true)
    expect(envelopeSchema.safeParse({ events: [{}], updates: [], sessions: [] }).success).toBe(true)
    expect(envelopeSchema.safeParse({ events: {} }).success).toBe(false)
    expect(envelopeSchema.safeParse({ extra: [] }).success).toBe(false)
  })
})
