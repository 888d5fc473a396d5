import { describe, expect, test } from 'vitest'
import { backoffMs, BACKOFF_CAP_MS } from '../../src/transport/index.js'

describe('backoffMs', () => {
  test('doubles its ceiling per attempt from 1 s, with full jitter', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, () => 0.999999))).toEqual([999, 1999, 3999, 7999])
    expect(backoffMs(5, () => 0)).toBe(0)
    expect(backoffMs(2, () => 0.5)).toBe(2000)
  })

  test('never waits longer than 5 minutes', () => {
    expect(backoffMs(40, () => 0.999999)).toBeLessThan(BACKOFF_CAP_MS)
    expect(backoffMs(40, () => 0.999999)).toBeGreaterThan(BACKOFF_CAP_MS - 1000)
  })
})
