// @vitest-environment node
/**
 * The bad-input matrix: every case gets the right status and message, nothing
 * invalid reaches the collector, and both servers still serve afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import seed from '../fixtures/seed-event.json'
import { hh, startStack } from '../support/servers.js'

let stack: Awaited<ReturnType<typeof startStack>>
beforeAll(async () => {
  stack = await startStack({ path: '/api/pollen', rateLimit: false })
})
afterAll(() => stack.close())

let n = 0
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
const event = (patch: Record<string, unknown> = {}) => ({ ...seed, event_id: id(), ...patch })
const deep = (levels: number) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = { d: value }
  return value
}
const stored = async () => (await hh(stack.collector.url, 'GET', '/stats')).json.stored as number

async function post(path: string, body: string | object, headers: Record<string, string> = {}, method = 'POST') {
  const response = await fetch(stack.proxy.url + path, {
    method,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined, headers: response.headers }
}

/** Still serving: a valid event goes through and is stored. */
async function stillServes() {
  const before = await stored()
  const ok = await post('/api/pollen', { events: [event()] })
  expect(ok.status).toBe(200)
  expect(ok.json.rejected).toEqual([])
  expect(await stored()).toBe(before + 1)
}

describe('proxy', () => {
  // [name, body, expected status, message pattern, extra headers, method, path]
  const whole: [string, string | object, number, RegExp, Record<string, string>?, string?, string?][] = [
    ['malformed JSON', '{"events": [', 400, /not valid JSON/],
    ['truncated JSON', JSON.stringify({ events: [event()] }).slice(0, 80), 400, /not valid JSON/],
    ['an empty body', '', 400, /not valid JSON/],
    ['invalid UTF-8 bytes', '\udcff\udcfe', 400, /not valid JSON/],
    ['a JSON array', '[]', 400, /\(root\): expected an object, got array/],
    ['null', 'null', 400, /\(root\): expected an object, got null/],
    ['events not an array', { events: {} }, 400, /events: expected an array, got object/],
    ['an event that is a string', { events: ['x'] }, 400, /events\[0\]: expected an object, got string/],
    ['an unknown envelope key', { sessions: [], eventz: [] }, 400, /unknown field "eventz"/],
    ['a 2 MiB body', { events: [event({ inputs: { text: 'x'.repeat(2 * 1024 * 1024) } })] }, 413, /larger than 1048576 bytes/],
    ['a 10,000-item envelope', { updates: Array.from({ length: 10_000 }, () => ({ event_id: seed.event_id, metadata: {} })) }, 413, /10000 items; at most 1000/],
    ['an XML content type', '<events/>', 415, /application\/xml is not accepted/, { 'Content-Type': 'application/xml' }],
    ['GET', '', 405, /GET is not allowed; send POST/, {}, 'GET'],
    ['PUT', '{}', 405, /PUT is not allowed/, {}, 'PUT'],
    ['an unknown route', {}, 404, /No Pollen route at \/api\/other/, {}, 'POST', '/api/other'],
    ['a disallowed origin', { events: [event()] }, 403, /Origin https:\/\/evil\.example may not use this endpoint/, { Origin: 'https://evil.example' }],
    // Update sequences (issue 12): one integer per update, or none.
    ['seq without updates', { events: [event()], seq: [1] }, 400, /seq: expected one number per update \(0\), got 1/],
    ['seq shorter than updates', { updates: [{ event_id: seed.event_id, metadata: {} }, { event_id: seed.event_id, metadata: {} }], seq: [1] }, 400, /expected one number per update \(2\), got 1/],
    ['seq not an array', { updates: [{ event_id: seed.event_id, metadata: {} }], seq: 5 }, 400, /seq: expected an array, got number/],
    ['a seq that is a string', { updates: [{ event_id: seed.event_id, metadata: {} }], seq: ['9'] }, 400, /seq\[0\]: expected a number, got string/],
    ['a seq that is a fraction', { updates: [{ event_id: seed.event_id, metadata: {} }], seq: [1.5] }, 400, /seq\[0\]: expected an integer/],
    ['a seq past 2^53', { updates: [{ event_id: seed.event_id, metadata: {} }], seq: [2 ** 60] }, 400, /seq\[0\]: expected at most 9007199254740991/],
  ]
  test.each(whole)('refuses %s', async (_name, body, status, message, headers = {}, method = 'POST', path = '/api/pollen') => {
    const before = await stored()
    const answer = await post(path, body, headers, method)
    expect(answer.status).toBe(status)
    expect(answer.json.error.message).toMatch(message)
    expect(await stored()).toBe(before)
    await stillServes()
  })

  // [name, item kind, item, code, message pattern]
  const items: [string, 'events' | 'sessions' | 'updates', object | '1e400', string, RegExp][] = [
    ['a missing event_name', 'events', event({ event_name: undefined }), 'invalid', /event_name: required: expected a string/],
    ['event_type "session"', 'events', event({ event_type: 'session' }), 'invalid', /event_type: expected one of "model", "tool", "chain", got "session"/],
    ['a null field', 'events', event({ outputs: null }), 'invalid', /outputs: expected an object, got null/],
    ['a string duration', 'events', event({ duration: '12' }), 'invalid', /duration: expected a number, got string/],
    ['a fractional end_time', 'events', event({ end_time: 1.5 }), 'invalid', /end_time: expected an integer/],
    ['an uppercase id', 'events', { ...seed, event_id: 'ABCDEF00-0000-4000-8000-000000000000' }, 'invalid', /event_id: expected a lowercase UUIDv4/],
    ['a number too large for JSON (1e400)', 'events', '1e400', 'invalid', /duration: expected a finite number, got Infinity/],
    ['nesting 200 levels deep', 'events', event({ metadata: deep(200) }), 'invalid', /expected at most 64 levels of nesting/],
    ['a __proto__ key', 'events', JSON.parse(`{"__proto__": {"polluted": true}, "event_id": "${id()}"}`), 'invalid', /unknown field "__proto__"/],
    ['a session without session_name', 'sessions', { project: 'Simple RAG', source: 'x', session_id: id() }, 'invalid', /session_name: required/],
    ['an update of outputs (not allowed from browsers)', 'updates', { event_id: seed.event_id, outputs: { content: 'rewritten' } }, 'forbidden-field', /may not update "outputs"/],
  ]
  test.each(items)('rejects %s alone, and takes the rest of the envelope', async (_name, kind, item, code, message) => {
    const good = event()
    // JSON.stringify cannot write 1e400; splice it into the text instead.
    const envelope =
      item === '1e400'
        ? `{"events":[${JSON.stringify(good)},${JSON.stringify(event()).replace(/"duration":[^,}]+/, '"duration":1e400')}]}`
        : JSON.stringify(kind === 'events' ? { events: [good, item] } : { events: [good], [kind]: [item] })
    const before = await stored()
    const answer = await post('/api/pollen', envelope)
    expect(answer.status).toBe(200)
    expect(answer.json.accepted).toContain(good.event_id)
    expect(answer.json.rejected).toHaveLength(1)
    expect(answer.json.rejected[0]).toMatchObject({ kind: kind.slice(0, -1), code, message: expect.stringMatching(message) })
    expect(await stored()).toBe(before + 1)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  // Valid but unusual input goes through unchanged.
  test.each([
    ['unicode and emoji', { event_name: 'Réponse 👍🏽 日本語', outputs: { content: '\u2028 line separator, \u0000 nul' } }],
    ['SQL-looking strings', { event_name: "x'; DROP TABLE events; --", metadata: { q: '" OR 1=1 --' } }],
    ['constructor and prototype keys inside data', { metadata: { constructor: { prototype: { polluted: true } }, toString: 'x' } }],
  ])('stores %s verbatim', async (_name, patch) => {
    const sent = event(patch)
    const answer = await post('/api/pollen', { events: [sent] })
    expect(answer.json).toEqual({ accepted: [sent.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
    const out = await hh(stack.collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: sent.event_id, type: 'id' }] })
    expect(out.json.events).toEqual([sent])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('forces the project and the response never contains the API key', async () => {
    const sent = event({ project: 'Someone Else' })
    const answer = await post('/api/pollen', { events: [sent] })
    expect(answer.text).not.toContain('test-key')
    const out = await hh(stack.collector.url, 'POST', '/events/export', { project: 'Someone Else' })
    expect(out.json.totalEvents).toBe(0)
  })
})

describe('collector', () => {
  const url = () => stack.collector.url
  // [name, method, path, body, expected status, message pattern, key]
  const cases: [string, string, string, unknown, number, RegExp, string?][] = [
    ['malformed JSON', 'POST', '/events', '{"event":', 400, /not valid JSON/],
    ['no event wrapper', 'POST', '/events', { ...seed }, 400, /event: required/],
    ['a missing required field', 'POST', '/events', { event: event({ inputs: undefined }) }, 400, /event\.inputs: required: expected an object/],
    ['several wrong fields, each named', 'POST', '/events', { event: { project: 'P', event_type: 'session' } }, 400, /^event\.source: required.*; event\.event_name: required.*; event\.event_type: expected one of/],
    ['event_type "session"', 'POST', '/events', { event: event({ event_type: 'session' }) }, 400, /event\.event_type: expected one of/],
    ['a null', 'POST', '/events', { event: event({ metadata: null }) }, 400, /event\.metadata: expected an object, got null/],
    ['a fractional end_time', 'POST', '/events', { event: event({ end_time: 10.5 }) }, 400, /event\.end_time: expected an integer/],
    ['deep nesting', 'POST', '/events', { event: event({ feedback: deep(100) }) }, 400, /event\.feedback(\.d)+: expected at most 64 levels/],
    ['a batch that is not an array', 'POST', '/events/batch', { events: {} }, 400, /events: expected an array/],
    ['an update without event_id', 'PUT', '/events', { metadata: {} }, 400, /event_id: required/],
    ['an update of an unknown id', 'PUT', '/events', { event_id: id(), metadata: {} }, 404, /no event or session/],
    ['a session without project', 'POST', '/session/start', { session: { session_name: 's', source: 'x' } }, 400, /session\.project: required/],
    ['an unknown session', 'GET', `/session/${id()}`, undefined, 404, /no session/],
    ['an export without project', 'POST', '/events/export', { filters: [] }, 400, /project: required/],
    ['an export limit over 7500', 'POST', '/events/export', { project: 'p', limit: 10_000 }, 400, /limit: expected at most 7500/],
    ['an unknown operator', 'POST', '/events/export', { project: 'p', filters: [{ field: 'a', value: 1, operator: 'like' }] }, 400, /filters\[0\]\.operator: expected one of/],
    ['an unknown route', 'POST', '/events/nope', {}, 404, /no route \/events\/nope/],
    ['a wrong method', 'DELETE', '/events', {}, 405, /DELETE is not allowed on \/events/],
    ['a missing key', 'POST', '/events', { event: event() }, 401, /Missing or invalid API key/, ''],
    ['a wrong key', 'POST', '/events', { event: event() }, 401, /Missing or invalid API key/, 'wrong'],
    ['a 20 MiB body', 'POST', '/events', { event: event({ inputs: { big: 'x'.repeat(20 * 1024 * 1024) } }) }, 413, /larger than 16777216 bytes/],
  ]
  test.each(cases)('refuses %s', async (_name, method, path, body, status, message, key = 'test-key') => {
    const before = await stored()
    const answer = await hh(url(), method, path, body, key)
    expect(answer.status).toBe(status)
    expect(answer.json).toMatchObject({ statusCode: status, success: false, message: expect.stringMatching(message) })
    expect(typeof answer.json.errorCode).toBe('string')
    expect(await stored()).toBe(before)
    const ok = await hh(url(), 'POST', '/events', { event: event() })
    expect(ok.status).toBe(200)
  })

  test("a batch with invalid items stores the valid ones and answers HoneyHive's 500 partial success", async () => {
    const good = event()
    const answer = await hh(url(), 'POST', '/events/batch', { events: [good, event({ event_type: 'x' }), event({ config: 1 })] })
    expect(answer.status).toBe(500)
    expect(answer.json).toEqual({
      event_ids: [good.event_id],
      errors: [expect.stringMatching(/events\[1\]\.event_type/), expect.stringMatching(/events\[2\]\.config: expected an object/)],
      success: false,
    })
  })

  test('a repeated create stores nothing new and is counted as a duplicate', async () => {
    const once = event()
    const before = (await hh(url(), 'GET', '/stats')).json
    await hh(url(), 'POST', '/events', { event: once })
    await hh(url(), 'POST', '/events/batch', { events: [once, { ...once, event_name: 'changed' }] })
    const after = (await hh(url(), 'GET', '/stats')).json
    expect(after.stored - before.stored).toBe(1)
    expect(after.duplicates - before.duplicates).toBe(2)
    const out = await hh(url(), 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: once.event_id }] })
    expect(out.json.events[0].event_name).toBe(seed.event_name)
  })

  test('a 10,000-event batch is stored whole', async () => {
    const before = await stored()
    const events = Array.from({ length: 10_000 }, () => ({ project: 'Bulk', source: 's', event_name: 'e', event_type: 'tool', config: {}, inputs: {}, duration: 1, event_id: id() }))
    const answer = await hh(url(), 'POST', '/events/batch', { events })
    expect(answer.status).toBe(200)
    expect(answer.json.event_ids).toHaveLength(10_000)
    expect(await stored()).toBe(before + 10_000)
  })
})
