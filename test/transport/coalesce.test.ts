import { expect, test } from 'vitest'
import { chunkByBytes } from '../../src/transport/index.js'
import { coalesceUpdates } from '../../src/transport/coalesce.js'
import type { WireItem } from '../../src/transport/index.js'

const update = (key: string, id: string, body: object): WireItem => {
  const json = JSON.stringify({ event_id: id, ...body })
  return { key, kind: 'update', id, json, bytes: json.length }
}

test('folds updates of one event in order: objects merge, outputs are replaced', () => {
  const event: WireItem = { key: 'a', kind: 'event', id: 'e1', json: '{}', bytes: 2 }
  const items = [
    event,
    update('b', 'e1', { feedback: { rating: true, comment: 'ok' }, outputs: { a: 1 } }),
    update('c', 'e2', { metadata: { x: 1 } }),
    update('d', 'e1', { feedback: { rating: false }, outputs: { b: 2 }, duration: 5 }),
  ]
  const { items: wire, members } = coalesceUpdates(items)
  // The fold stands where its first update was, under the newest one's key (its sequence).
  expect(wire.map((item) => item.key)).toEqual(['a', 'd', 'c'])
  expect(JSON.parse(wire[1]!.json)).toEqual({ event_id: 'e1', feedback: { rating: false, comment: 'ok' }, outputs: { b: 2 }, duration: 5 })
  expect(members.get('d')!.map((item) => item.key)).toEqual(['b', 'd'])
  expect(wire[1]!.bytes).toBe(wire[1]!.json.length)
})

test('leaves batches without repeated targets untouched', () => {
  const items = [update('a', 'e1', { metadata: {} }), update('b', 'e2', { metadata: {} })]
  const { items: wire, members } = coalesceUpdates(items)
  expect(wire).toBe(items)
  expect(members.size).toBe(0)
})

test('chunkByBytes keeps order and the cap, and lets an oversized item travel alone', () => {
  const sized = (bytes: number) => ({ bytes })
  const chunks = chunkByBytes([sized(40), sized(40), sized(40), sized(500), sized(10)], 100, 0)
  expect(chunks.map((chunk) => chunk.map((item) => item.bytes))).toEqual([[40, 40], [40], [500], [10]])
})
