import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { sendBatch, type WireItem } from '../../src/transport/index.js'
import { createFakeFetch, status } from '../support/fake-fetch.js'

const event = (n: number): WireItem => {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  const json = JSON.stringify({ event_id: id, event_name: `e${n}` })
  return { key: `k${n}`, kind: 'event', id, json, bytes: json.length }
}
const proxy = { mode: 'proxy', endpoint: '/api/pollen' } as const
const direct = { mode: 'direct', endpoint: 'https://hh.test/', apiKey: 'secret' } as const

describe('sendBatch through the proxy', () => {
  test('posts one text/plain envelope and maps accepted and rejected ids', async () => {
    const fake = createFakeFetch()
    const items = [event(1), event(2), event(3)]
    fake.next(Response.json({ accepted: [items[0]!.id], rejected: [{ id: items[1]!.id, code: 'invalid', message: 'bad' }] }))
    const outcome = await sendBatch(proxy, items, fake.fetch)
    expect(fake.requests[0]!.headers['content-type']).toBe('text/plain;charset=UTF-8')
    expect(fake.requests[0]!.json.events).toHaveLength(3)
    expect(outcome.delivered.map((i) => i.key)).toEqual(['k1'])
    expect(outcome.rejected.map((r) => [r.item.key, r.code])).toEqual([['k2', 'invalid']])
    expect(outcome.retry.map((i) => i.key)).toEqual(['k3']) // neither accepted nor rejected: not proven delivered
  })

  test('an accepted event does not pass for its update when the answer names the kinds', async () => {
    const fake = createFakeFetch()
    const created = event(1)
    const json = JSON.stringify({ event_id: created.id, feedback: { rating: 1 } })
    const rated: WireItem = { key: 'k9', kind: 'update', id: created.id, json, bytes: json.length }
    fake.next(Response.json({ accepted: [created.id], kinds: ['event'], rejected: [] }))
    const outcome = await sendBatch(proxy, [created, rated], fake.fetch)
    expect(outcome.delivered.map((i) => i.key)).toEqual(['k1'])
    expect(outcome.retry.map((i) => i.key)).toEqual(['k9'])
  })

  test.each([408, 429, 500, 503])('%d means retry, with the Retry-After', async (code) => {
    const fake = createFakeFetch()
    fake.next(status(code, { 'Retry-After': '7' }))
    const outcome = await sendBatch(proxy, [event(1)], fake.fetch)
    expect(outcome.retry).toHaveLength(1)
    expect(outcome.retryAfterMs).toBe(7000)
  })

  test('a network error or a 200 that is not the proxy answer means retry', async () => {
    const fake = createFakeFetch()
    fake.next('network-error', new Response('<html>', { status: 200 }))
    expect((await sendBatch(proxy, [event(1)], fake.fetch)).retry).toHaveLength(1)
    expect((await sendBatch(proxy, [event(1)], fake.fetch)).retry).toHaveLength(1)
  })

  test.each([400, 401, 403, 404, 422])('%d drops the items with reason http-<status>', async (code) => {
    const fake = createFakeFetch()
    fake.next(status(code, {}, 'nope'))
    const outcome = await sendBatch(proxy, [event(1), event(2)], fake.fetch)
    expect(outcome.rejected.map((r) => r.code)).toEqual([`http-${code}`, `http-${code}`])
    expect(outcome.rejected[0]!.message).toMatch(new RegExp(`answered ${code}: nope`))
  })

  test('413 splits the batch in halves until it fits; a lone item is refused as too-large', async () => {
    const fake = createFakeFetch()
    // 4 items: whole batch 413, first half ok, second half 413, then 3 ok, 4 alone 413.
    fake.next(status(413))
    const outcome = await sendBatch(proxy, [event(1), event(2), event(3), event(4)], async (input, init) => {
      const body = JSON.parse(await new Response(init!.body).text())
      const ids: string[] = body.events.map((e: { event_id: string }) => e.event_id)
      fake.requests.push({ url: String(input), method: 'POST', headers: {}, body: '', json: body })
      if (ids.length > 2 || ids.includes(event(4).id)) return status(413)
      return Response.json({ accepted: ids, rejected: [] })
    })
    expect(fake.requests.map((r) => r.json.events.length)).toEqual([4, 2, 2, 1, 1])
    expect(outcome.delivered.map((i) => i.key)).toEqual(['k1', 'k2', 'k3'])
    expect(outcome.rejected.map((r) => [r.item.key, r.code])).toEqual([['k4', 'too-large']])
  })
})

describe('sendBatch straight to HoneyHive', () => {
  const session: WireItem = { key: 'k0', kind: 'session', id: 's', json: '{"session_id":"s"}', bytes: 18 }
  const update = (key: string, id: string, body: object): WireItem => {
    const json = JSON.stringify({ event_id: id, ...body })
    return { key, kind: 'update', id, json, bytes: json.length }
  }

  test('starts the session, posts the events batch, then one PUT per (folded) update, with the key', async () => {
    const fake = createFakeFetch()
    const e1 = event(1)
    const outcome = await sendBatch(direct, [session, e1, update('u1', e1.id, { feedback: { rating: true } }), update('u2', e1.id, { metadata: { a: 1 } })], fake.fetch)
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST https://hh.test/session/start',
      'POST https://hh.test/events/batch',
      'PUT https://hh.test/events',
    ])
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer secret' && r.headers['content-type'] === 'application/json')).toBe(true)
    expect(fake.requests[0]!.json).toEqual({ session: { session_id: 's' } })
    expect(fake.requests[2]!.json).toEqual({ event_id: e1.id, feedback: { rating: true }, metadata: { a: 1 } })
    expect(outcome.delivered.map((i) => i.key).sort()).toEqual(['k0', 'k1', 'u1', 'u2'])
  })

  test("HoneyHive's 500 with event_ids is a partial success: the listed ids are done, the rest retried", async () => {
    const fake = createFakeFetch()
    fake.next(Response.json({ event_ids: [event(1).id], errors: ['boom'], success: false }, { status: 500 }))
    const outcome = await sendBatch(direct, [event(1), event(2)], fake.fetch)
    expect(outcome.delivered.map((i) => i.key)).toEqual(['k1'])
    expect(outcome.retry.map((i) => i.key)).toEqual(['k2'])
  })

  test('updates wait while the events they may target are being retried', async () => {
    const fake = createFakeFetch()
    fake.next(status(503))
    const outcome = await sendBatch(direct, [event(1), update('u1', event(1).id, { metadata: {} })], fake.fetch)
    expect(fake.requests).toHaveLength(1)
    expect(outcome.retry.map((i) => i.key)).toEqual(['k1', 'u1'])
  })
})

describe('update sequences (seq) through the proxy', () => {
  /** An update queued at `ms` as the `counter`th item of its tab's millisecond. */
  const update = (ms: number, counter: number, eventId: string, rating: number): WireItem => {
    const json = JSON.stringify({ event_id: eventId, feedback: { rating } })
    return { key: `${String(ms).padStart(15, '0')}.tab1.${String(counter).padStart(6, '0')}`, kind: 'update', id: eventId, json, bytes: json.length }
  }
  const target = event(1).id
  const other = event(2).id

  test('are sent only once the proxy said it reads them, one per update, later updates higher', async () => {
    const fake = createFakeFetch()
    const to = { mode: 'proxy', endpoint: '/api/pollen' } as { mode: 'proxy'; endpoint: string; seq?: boolean }
    fake.next(Response.json({ accepted: [target], rejected: [] }))
    await sendBatch(to, [update(1_000, 0, target, 1)], fake.fetch)
    // An older proxy, or none said yet: no seq (it would refuse the field).
    expect(fake.requests[0]!.json.seq).toBeUndefined()
    fake.next(Response.json({ accepted: [target], rejected: [], supports: ['seq'] }))
    await sendBatch(to, [update(1_000, 1, target, 2)], fake.fetch)
    await sendBatch(to, [update(1_000, 2, target, 3), update(2_000, 0, other, 4)], fake.fetch)
    const [a, b] = fake.requests[2]!.json.seq
    expect(fake.requests[2]!.json.updates).toHaveLength(2)
    expect(a).toBe(1_000_002)
    expect(b).toBe(2_000_000)
  })

  test('folded updates of one event carry the sequence of the newest', async () => {
    const fake = createFakeFetch()
    const to = { mode: 'proxy', endpoint: '/api/pollen', seq: true } as const
    await sendBatch({ ...to }, [update(5_000, 0, target, 1), update(7_000, 3, target, 2)], fake.fetch)
    expect(fake.requests[0]!.json.updates).toEqual([{ event_id: target, feedback: { rating: 2 } }])
    expect(fake.requests[0]!.json.seq).toEqual([7_000_003])
  })

  test('a proxy that refuses them (rolled back) gets the envelope again without, and nothing is dropped', async () => {
    const fake = createFakeFetch()
    const to = { mode: 'proxy', endpoint: '/api/pollen', seq: true } as { mode: 'proxy'; endpoint: string; seq?: boolean }
    fake.next(status(400, {}, '{"error":{"code":"invalid-envelope","message":"unknown field \\"seq\\""}}'))
    const outcome = await sendBatch(to, [update(1_000, 0, target, 1)], fake.fetch)
    expect(fake.requests.map((r) => r.json.seq)).toEqual([[1_000_000], undefined])
    expect(outcome.delivered).toHaveLength(1)
    await sendBatch(to, [update(2_000, 0, target, 2)], fake.fetch)
    expect(fake.requests[2]!.json.seq).toBeUndefined()
  })
})

describe('gzip bodies through the proxy', () => {
  /** A fetch that records each body (inflating gzip ones) and answers from `answers`, then accepts all. */
  function recorder(answers: Response[] = []) {
    const seen: { gzip: boolean; json: any }[] = []
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      const bytes = new Uint8Array(await new Response(init.body).arrayBuffer())
      const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b
      const text = gzip ? gunzipSync(bytes).toString() : new TextDecoder().decode(bytes)
      const json = JSON.parse(text)
      seen.push({ gzip, json })
      const ids = (json.events ?? []).map((e: { event_id: string }) => e.event_id)
      return answers.shift() ?? Response.json({ accepted: ids, rejected: [], supports: ['seq', 'gzip'] })
    }) as unknown as typeof fetch
    return { seen, fetchImpl }
  }
  /** An event of about `size` bytes of JSON. */
  const big = (n: number, size = 2000): WireItem => {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
    const json = JSON.stringify({ event_id: id, outputs: { content: 'answer '.repeat(size / 7) } })
    return { key: `k${n}`, kind: 'event', id, json, bytes: json.length }
  }

  test('go gzip once the proxy said it reads them, above 1 KiB; small envelopes stay plain', async () => {
    const to = { mode: 'proxy', endpoint: '/api/pollen' } as { mode: 'proxy'; endpoint: string; gzip?: boolean }
    const { seen, fetchImpl } = recorder()
    await sendBatch(to, [big(1)], fetchImpl)
    await sendBatch(to, [big(2)], fetchImpl)
    await sendBatch(to, [event(3)], fetchImpl)
    expect(seen.map((s) => s.gzip)).toEqual([false, true, false])
    expect(seen[1]!.json.events[0].event_id).toBe(big(2).id)
  })

  test('a 400 to a gzip body (a proxy rolled back) resends it plain, drops nothing, and stops gzipping', async () => {
    const to = { mode: 'proxy', endpoint: '/api/pollen', gzip: true } as { mode: 'proxy'; endpoint: string; gzip?: boolean }
    const { seen, fetchImpl } = recorder([status(400, {}, '{"error":{"code":"malformed-json"}}'), Response.json({ accepted: [big(1).id], rejected: [] })])
    const outcome = await sendBatch(to, [big(1)], fetchImpl)
    expect(outcome.delivered).toHaveLength(1)
    expect(outcome.rejected).toHaveLength(0)
    await sendBatch(to, [big(2)], fetchImpl)
    expect(seen.map((s) => s.gzip)).toEqual([true, false, false])
  })
})
