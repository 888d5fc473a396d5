import { afterEach, describe, expect, test, vi } from 'vitest'
import { sendRound } from '../../src/client/round.js'
import type { QueueItem } from '../../src/queue/index.js'
import { createFakeFetch, status } from '../support/fake-fetch.js'

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const item = (n: number, kind: 'event' | 'update'): QueueItem => {
  const json = JSON.stringify(kind === 'event' ? { event_id: id(n), event_name: `e${n}` } : { event_id: id(n), feedback: { rating: 1 } })
  return { key: `k${kind}${String(n).padStart(3, '0')}`, kind, id: id(n), json, bytes: json.length }
}
const direct = { mode: 'direct', endpoint: 'https://hh.test/', apiKey: 'secret' } as const

describe('sendRound over more than one batch', () => {
  afterEach(() => vi.unstubAllGlobals())

  /** Three events and their updates, with a batch size of 2: the round splits them into requests. */
  const round = () => [1, 2, 3].map((n) => item(n, 'event')).concat([1, 2, 3].map((n) => item(n, 'update')))

  test('updates go after every creation went', async () => {
    const fake = createFakeFetch()
    vi.stubGlobal('fetch', fake.fetch)
    const outcome = await sendRound(direct, round(), 2)
    expect(outcome.delivered).toHaveLength(6)
    expect(fake.updates()).toHaveLength(3)
  })

  test('while a creation waits for a retry, every update waits, unsent', async () => {
    const fake = createFakeFetch()
    vi.stubGlobal('fetch', fake.fetch)
    fake.next(status(503))
    const outcome = await sendRound(direct, round(), 2)
    expect(fake.updates()).toEqual([])
    expect(outcome.retry.map((i) => i.key)).toEqual(['kevent001', 'kevent002', 'kevent003', 'kupdate001', 'kupdate002', 'kupdate003'])
  })
})

describe('request sizes of a round', () => {
  afterEach(() => vi.unstubAllGlobals())

  /** Ten events of about 50 kB. */
  const big = () =>
    Array.from({ length: 10 }, (_, n) => {
      const json = JSON.stringify({ event_id: id(n + 1), event_name: 'big', outputs: { text: 'x'.repeat(50_000) } })
      return { key: `k${n}`, kind: 'event', id: id(n + 1), json, bytes: json.length } satisfies QueueItem
    })

  test('plain JSON goes in requests of at most 128 kB (fetch() copies plain bodies on the main thread)', async () => {
    const fake = createFakeFetch()
    vi.stubGlobal('fetch', fake.fetch)
    await sendRound({ mode: 'proxy', endpoint: '/api/pollen' }, big(), 50)
    expect(fake.requests.length).toBe(5)
    for (const request of fake.requests) expect(request.body.length).toBeLessThanOrEqual(128 * 1024)
  })

  test('a proxy that reads gzip gets requests of up to 512 kB', async () => {
    const fake = createFakeFetch()
    vi.stubGlobal('fetch', fake.fetch)
    await sendRound({ mode: 'proxy', endpoint: '/api/pollen', gzip: true }, big(), 50)
    expect(fake.requests.length).toBe(1)
  })
})
