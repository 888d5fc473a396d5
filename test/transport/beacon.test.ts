import { afterEach, expect, test, vi } from 'vitest'
import { sendOnUnload, UNLOAD_BUDGET_BYTES, type WireItem } from '../../src/transport/index.js'
import { createFakeFetch } from '../support/fake-fetch.js'

const direct = { mode: 'direct', endpoint: 'https://hh.test/', apiKey: 'secret' } as const
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const wire = (key: string, kind: WireItem['kind'], body: object): WireItem => {
  const json = JSON.stringify(body)
  return { key, kind, id: (body as { event_id: string }).event_id, json, bytes: json.length }
}

afterEach(() => vi.unstubAllGlobals())

test('direct mode: updates stay for the next visit when an event did not fit the budget', () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  const big = wire('k1', 'event', { event_id: id(1), event_name: 'big', outputs: { text: 'x'.repeat(UNLOAD_BUDGET_BYTES) } })
  const rated = wire('k2', 'update', { event_id: id(2), feedback: { rating: 1 } })
  const { sent } = sendOnUnload(direct, [big, rated])
  expect(sent).toEqual([])
  expect(fake.fetch).not.toHaveBeenCalled()
})

test('direct mode: updates go once every creation went', () => {
  const fake = createFakeFetch()
  vi.stubGlobal('fetch', fake.fetch)
  const small = wire('k1', 'event', { event_id: id(1), event_name: 'small' })
  const rated = wire('k2', 'update', { event_id: id(1), feedback: { rating: 1 } })
  const { sent } = sendOnUnload(direct, [small, rated])
  expect(sent.map((item) => item.key)).toEqual(['k1', 'k2'])
  expect(vi.mocked(fake.fetch).mock.calls.map(([, init]) => init?.method)).toEqual(['POST', 'PUT'])
})
