import { describe, expect, test } from 'vitest'
import { isRetryable, parseRetryAfter } from '../../src/honeyhive/index.js'

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T12:00:00Z')
  test.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['0', 0],
    ['Thu, 26 Nov 2026 12:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 11:00:00 GMT', 0],
    ['999999', 3_600_000],
  ])('reads %j as %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms)
  })
  test.each([null, '', 'soon', '-5', '1.5'])('ignores %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined()
  })
})

test('retries timeouts, rate limits and server errors only', () => {
  expect([408, 429, 500, 502, 503, 504].every(isRetryable)).toBe(true)
  expect([400, 401, 403, 404, 409, 413, 422].some(isRetryable)).toBe(false)
})
