import { afterEach, expect, test, vi } from 'vitest'
import { createKeyMaker } from '../../src/queue/index.js'

afterEach(() => vi.restoreAllMocks())

test('keys sort by time, then by order within a millisecond, and never go back when the clock does', () => {
  const now = vi.spyOn(Date, 'now')
  const next = createKeyMaker('tab1')
  const made: string[] = []
  for (const ms of [1_000, 1_000, 1_000, 1_001, 1_001, 999, 1_002]) {
    now.mockReturnValue(ms)
    made.push(next())
  }
  expect(made).toEqual([
    '000000000001000.tab1.000000',
    '000000000001000.tab1.000001',
    '000000000001000.tab1.000002',
    '000000000001001.tab1.000000',
    '000000000001001.tab1.000001',
    // The clock stepped back to 999: the key stays in 1,001's millisecond, after its last one.
    '000000000001001.tab1.000002',
    '000000000001002.tab1.000000',
  ])
})
