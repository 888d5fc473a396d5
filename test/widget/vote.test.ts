import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createVote, type VoteController } from '../../src/widget/vote.js'
import { createFakeClient, type FakeClient } from './fake-client.js'

let fake: FakeClient
const controllers: VoteController[] = []
const flush = (ms = 0) => vi.advanceTimersByTimeAsync(ms)

function vote(eventId: string | Promise<string> = 'e1', options: Parameters<typeof createVote>[2] = () => ({})) {
  const controller = createVote(fake.client, eventId, options)
  controllers.push(controller)
  return controller
}

beforeEach(() => {
  vi.useFakeTimers()
  fake = createFakeClient()
})
afterEach(() => {
  controllers.splice(0).forEach((c) => c.dispose())
  vi.useRealTimers()
})

describe('settling', () => {
  test('a vote is "chosen" until settleMs pass, then handed to the client once', async () => {
    const v = vote('e1', () => ({ settleMs: 600, userProperties: { plan: 'pro' } }))
    await flush()
    v.choose({ rating: true })
    expect(v.state).toMatchObject({ vote: { rating: true }, status: 'chosen' })
    await flush(599)
    expect(fake.calls).toEqual([])
    await flush(1)
    expect(fake.calls).toEqual([{ eventId: 'e1', feedback: { rating: true }, userProperties: { plan: 'pro' } }])
    expect(v.state.status).toBe('queued')
  })

  test('five rapid clicks send once, with the last vote', async () => {
    const v = vote()
    await flush()
    for (const rating of [true, false, true, false, true]) {
      v.choose({ rating })
      await flush(100)
    }
    await flush(600)
    expect(fake.calls.map((c) => c.feedback)).toEqual([{ rating: true }])
  })

  test('settling back on the vote already sent sends nothing and shows its status again', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    await flush(600)
    fake.push('r1', { state: 'sent' })
    expect(v.state.status).toBe('saved')
    v.choose({ rating: false })
    v.choose({ rating: true })
    expect(v.state.status).toBe('chosen')
    await flush(600)
    expect(fake.calls).toHaveLength(1)
    expect(v.state).toMatchObject({ vote: { rating: true }, status: 'saved' })
  })

  test('a vote taken back before it was ever sent sends nothing', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    v.choose(null)
    await flush(600)
    expect(fake.calls).toEqual([])
    expect(v.state).toMatchObject({ vote: null, status: 'idle' })
  })

  test('dispose sends a vote still settling instead of losing it', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: false })
    v.dispose()
    expect(fake.calls.map((c) => c.feedback)).toEqual([{ rating: false }])
  })

  test('the page going hidden sends a vote still settling', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    visibility.mockRestore()
    expect(fake.calls).toHaveLength(1)
  })
})

describe('payloads', () => {
  test('retract sends rating null; switching sends the new vote; each after its own settle', async () => {
    const changes: unknown[] = []
    const v = vote('e1', () => ({ onChange: (vote) => changes.push(vote) }))
    await flush()
    v.choose({ rating: true })
    await flush(600)
    v.choose({ rating: false, comment: 'Too long', categories: ['verbose'] })
    await flush(600)
    v.choose(null)
    await flush(600)
    expect(fake.calls.map((c) => c.feedback)).toEqual([
      { rating: true },
      { rating: false, comment: 'Too long', categories: ['verbose'] },
      { rating: null },
    ])
    expect(changes).toEqual([{ rating: true }, { rating: false, comment: 'Too long', categories: ['verbose'] }, null])
  })

  test('choosing the current vote again changes nothing', async () => {
    const onChange = vi.fn()
    const v = vote('e1', () => ({ onChange }))
    v.choose({ rating: true })
    v.choose({ rating: true })
    expect(onChange).toHaveBeenCalledTimes(1)
  })
})
