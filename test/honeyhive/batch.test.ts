import { expect, test } from 'vitest'
import { batchAnswer, PARTIAL_SUCCESS_STATUS, readPartialSuccess } from '../../src/honeyhive/index.js'

test('the collector answers a batch with refused events as the partial success the senders read', () => {
  const answer = batchAnswer(['a'], ['events[1].event_name: required'])
  expect(answer.status).toBe(PARTIAL_SUCCESS_STATUS)
  const partial = readPartialSuccess(answer.body)!
  expect([...partial.created]).toEqual(['a'])
  expect(partial.errors).toHaveLength(1)
  expect(batchAnswer(['a', 'b'], [], 's')).toEqual({ status: 200, body: { event_ids: ['a', 'b'], session_id: 's', success: true } })
})

test.each([undefined, null, '<html>', { message: 'down' }])('%j is a plain failure, not a partial success', (body) => {
  expect(readPartialSuccess(body)).toBeUndefined()
})
