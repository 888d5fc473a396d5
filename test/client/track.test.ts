import { afterEach, expect, test, vi } from 'vitest'
import { createClient, type Delivery } from '../../src/index.js'
import { createFakeFetch, status } from '../support/fake-fetch.js'

afterEach(() => vi.unstubAllGlobals())

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

/** Records what a ref's listener was told, in order. */
function follow(hh: ReturnType<typeof createClient>, ref: string) {
  const seen: Delivery[] = []
  const stop = hh.track(ref, (delivery) => seen.push(delivery))
  return { seen, stop, last: () => seen.at(-1) }
}

test('feedback() returns a ref; track() tells queued, then sent when the server took it', async () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  const hh = createClient({ project: `track-${Math.random()}`, endpoint: '/api/pollen', flushInterval: 50 })
  const id = hh.log({ event_name: 'answer', event_type: 'model' })
  const ref = hh.feedback(id, { rating: true })
  expect(typeof ref).toBe('string')
  const { seen } = follow(hh, ref)
  await until(() => seen.some((d) => d.state === 'sent'))
  expect(seen).toEqual([{ state: 'queued' }, { state: 'sent' }])
  expect(fake.updates()).toEqual([{ event_id: id, feedback: { rating: true } }])
  await hh.close()
})

test('a failing send shows as waiting for a retry; offline shows as offline; both end in sent', async () => {
  const fake = createFakeFetch()
  fake.next(status(503, { 'Retry-After': '0' }))
  vi.stubGlobal('fetch', fake.fetch)
  const hh = createClient({ project: `track-${Math.random()}`, endpoint: '/api/pollen', flushInterval: 10, storage: 'memory' })
  const ref = hh.update(hh.log({ event_name: 'answer', event_type: 'model' }), { metadata: { edited: true } })
  const { seen } = follow(hh, ref)
  await until(() => seen.some((d) => d.waiting === 'retry'))
  await until(() => seen.at(-1)?.state === 'sent')

  const offline = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
  const second = follow(hh, hh.feedback(hh.log({ event_name: 'b', event_type: 'model' }), { rating: false }))
  await until(() => second.last()?.waiting === 'offline')
  offline.mockReturnValue(true)
  window.dispatchEvent(new Event('online'))
  await until(() => second.last()?.state === 'sent')
  await hh.close()
})

test('a refused update is told as dropped with the reason, also to a page that asks after a reload', async () => {
  const project = `track-${Math.random()}`
  const fake = createFakeFetch()
  fake.next((request) =>
    Response.json({
      accepted: [...request.json.sessions, ...request.json.events].map((x: any) => x.session_id ?? x.event_id).slice(0, 1),
      rejected: [
        ...request.json.events.map((e: any) => ({ id: e.event_id, kind: 'event', code: 'invalid', message: 'no' })),
        ...(request.json.updates ?? []).map((u: any) => ({ id: u.event_id, kind: 'update', code: 'invalid-update', message: 'feedback.rating: expected a boolean' })),
      ],
    }),
  )
  vi.stubGlobal('fetch', fake.fetch)
  const first = createClient({ project, endpoint: '/api/pollen', flushInterval: 10 })
  const ref = first.feedback(first.log({ event_name: 'a', event_type: 'model' }), { rating: 'yes' })
  const { last } = follow(first, ref)
  await until(() => last()?.state === 'dropped')
  expect(last()).toEqual({ state: 'dropped', reason: 'invalid-update: feedback.rating: expected a boolean' })
  await first.close()

  const second = createClient({ project, endpoint: '/api/pollen' })
  const again = follow(second, ref)
  await until(() => again.seen.length > 0)
  expect(again.seen).toEqual([{ state: 'dropped', reason: 'invalid-update: feedback.rating: expected a boolean' }])
  await second.close()
})

test('a ref from an earlier page: queued while stored, sent once this page delivers it', async () => {
  const project = `track-${Math.random()}`
  const down = createFakeFetch()
  for (let i = 0; i < 20; i++) down.next('network-error')
  vi.stubGlobal('fetch', down.fetch)
  const before = createClient({ project, endpoint: '/api/pollen', flushInterval: 10 })
  const ref = before.feedback(before.log({ event_name: 'a', event_type: 'model' }), { rating: true })
  await before.close()

  const up = createFakeFetch()
  vi.stubGlobal('fetch', up.fetch)
  const after = createClient({ project, endpoint: '/api/pollen', flushInterval: 10 })
  const { seen } = follow(after, ref)
  await until(() => seen.at(-1)?.state === 'sent')
  expect(seen[0]?.state).toBe('queued')
  expect(up.updates()).toHaveLength(1)
  await after.close()
})

test('a stopped listener hears nothing more; a throwing listener breaks nothing', async () => {
  vi.stubGlobal('fetch', createFakeFetch().fetch)
  const hh = createClient({ project: `track-${Math.random()}`, endpoint: '/api/pollen', flushInterval: 10, storage: 'memory' })
  const ref = hh.feedback(hh.log({ event_name: 'a', event_type: 'model' }), { rating: true })
  const stopped = vi.fn()
  hh.track(ref, stopped)()
  hh.track(ref, () => {
    throw new Error('listener bug')
  })
  const { last } = follow(hh, ref)
  await until(() => last()?.state === 'sent')
  expect(stopped).not.toHaveBeenCalled()
  await hh.close()
})

test('records keep small values across clients of the origin; undefined deletes', async () => {
  const project = `records-${Math.random()}`
  const a = createClient({ project, endpoint: '/api/pollen' })
  await a.records.set('vote:x', { rating: true, ref: 'r' })
  const b = createClient({ project, endpoint: '/api/pollen' })
  expect(await b.records.get('vote:x')).toEqual({ rating: true, ref: 'r' })
  await b.records.set('vote:x', undefined)
  expect(await a.records.get('vote:x')).toBeUndefined()
  await Promise.all([a.close(), b.close()])
})

test('a rating deleted by purge() ends as dropped, its reason saying why as code: message', async () => {
  const fake = createFakeFetch()
  fake.next(status(503))
  vi.stubGlobal('fetch', fake.fetch)
  const hh = createClient({ project: `track-${Math.random()}`, endpoint: '/api/pollen', flushInterval: 10_000, storage: 'memory' })
  const ref = hh.feedback(hh.log({ event_name: 'answer', event_type: 'model' }), { rating: false })
  const { last } = follow(hh, ref)
  await hh.purge()
  await until(() => last()?.state === 'dropped')
  expect(last()!.reason).toBe('purged: deleted by purge()')
  await hh.close()
})

test('a disabled client remembers the ends of the last 1,000 untracked refs, not all of them; tracked ones stay', async () => {
  const { createTracker } = await import('../../src/client/tracker.js')
  // Storage holds nothing: what the tracker does not remember, it reports as gone from the queue.
  const queue = { settled: async () => undefined, holds: () => false, has: async () => false, getMeta: async () => undefined }
  const tracker = createTracker(queue as never, () => false)
  const answer = (ref: string) => new Promise<Delivery>((resolve) => tracker.track(ref, resolve))
  const disabled = 'disabled: the client was disabled'
  const watched: Delivery[] = []
  tracker.track('ref-0', (delivery) => watched.push(delivery))
  for (let i = 0; i < 5000; i++) tracker.ended([[`ref-${i}`, disabled]], true)
  expect(watched.at(-1)).toEqual({ state: 'dropped', reason: disabled })
  expect(await answer('ref-4999')).toEqual({ state: 'dropped', reason: disabled })
  expect(await answer('ref-4000')).toEqual({ state: 'dropped', reason: disabled })
  // Forgotten: older than the last 1,000.
  expect(await answer('ref-3000')).toEqual({ state: 'sent' })
  // ref-0 has a listener: its end is kept however many come after.
  expect(await answer('ref-0')).toEqual({ state: 'dropped', reason: disabled })
})
