import { expect, test } from 'vitest'
import { applyUpdate } from '../../src/honeyhive/index.js'

test('merged fields merge key by key; outputs and duration are replaced; the target is not changed', () => {
  const event = { event_id: 'e', feedback: { rating: true, comment: 'ok' }, outputs: { a: 1 }, duration: 3 }
  const next = applyUpdate(event, { event_id: 'e', feedback: { rating: false }, metadata: { cost: 1 }, outputs: { b: 2 }, duration: 5 })
  expect(next).toEqual({ event_id: 'e', feedback: { rating: false, comment: 'ok' }, metadata: { cost: 1 }, outputs: { b: 2 }, duration: 5 })
  expect(event.feedback).toEqual({ rating: true, comment: 'ok' })
})
