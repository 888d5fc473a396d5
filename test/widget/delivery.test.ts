import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createVote, type VoteController } from '../../src/widget/vote.js'
import { createFakeClient, type FakeClient } from './fake-client.js'

let fake: FakeClient
const controllers: VoteController[] = []
const flush = (ms = 0) => vi.advanceTimersByTimeAsync(ms)

function vote(eventId: string | Promise<string> = 'e1') {
  const controller = createVote(fake.client, eventId, () => ({ settleMs: 100 }))
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

describe('status follows client.track()', () => {
  test('queued, waiting offline, waiting for a retry, then saved; each status is recorded', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    await flush(100)
    expect(v.state).toMatchObject({ status: 'queued', waiting: undefined })
    expect(fake.records.get('vote:e1')).toEqual({ vote: { rating: true }, ref: 'r1', status: 'queued' })
    fake.push('r1', { state: 'queued', waiting: 'offline' })
    expect(v.state).toMatchObject({ status: 'queued', waiting: 'offline' })
    fake.push('r1', { state: 'queued', waiting: 'retry' })
    expect(v.state).toMatchObject({ status: 'queued', waiting: 'retry' })
    fake.push('r1', { state: 'sent' })
    expect(v.state).toMatchObject({ vote: { rating: true }, status: 'saved', waiting: undefined })
    await flush()
    expect(fake.records.get('vote:e1')).toMatchObject({ vote: { rating: true }, ref: 'r1', status: 'saved' })
  })

  test('dropped is failed, with the reason', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: false })
    await flush(100)
    fake.push('r1', { state: 'dropped', reason: 'http-400: bad feedback' })
    expect(v.state).toMatchObject({ status: 'failed', reason: 'http-400: bad feedback' })
    await flush()
    expect(fake.records.get('vote:e1')).toMatchObject({ status: 'failed', reason: 'http-400: bad feedback' })
  })

  test('feedback() throwing is failed, with its message, and the same vote is tried again later', async () => {
    const v = vote()
    await flush()
    fake.throwOnFeedback(new Error('Invalid feedback for e1: comment is too long'))
    v.choose({ rating: true })
    await flush(100)
    expect(v.state).toMatchObject({ vote: { rating: true }, status: 'failed', reason: 'Invalid feedback for e1: comment is too long' })
    fake.throwOnFeedback(undefined)
    v.choose(null)
    v.choose({ rating: true })
    await flush(100)
    expect(fake.calls.map((c) => c.feedback)).toEqual([{ rating: true }])
    expect(v.state.status).toBe('queued')
  })

  test('news about an earlier send waits while a newer vote settles', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    await flush(100)
    v.choose({ rating: false })
    fake.push('r1', { state: 'sent' })
    expect(v.state.status).toBe('chosen')
    expect(fake.tracking('r1')).toBe(1)
    await flush(100)
    expect(fake.tracking('r1')).toBe(0)
    expect(fake.tracking('r2')).toBe(1)
  })
})

describe('an event id given as a Promise', () => {
  test('a vote given before it resolves stays chosen, then is sent with the resolved id', async () => {
    let resolve!: (id: string) => void
    const v = vote(new Promise<string>((r) => (resolve = r)))
    v.choose({ rating: false })
    await flush(1000)
    expect(v.state.status).toBe('chosen')
    expect(fake.calls).toEqual([])
    resolve('late-id')
    await flush()
    expect(fake.calls).toEqual([{ eventId: 'late-id', feedback: { rating: false } }])
    expect(v.state.status).toBe('queued')
  })

  test('a Promise that rejects turns a vote failed, with its message', async () => {
    const v = vote(Promise.reject(new Error('The reply was cancelled')))
    v.choose({ rating: true })
    await flush(100)
    expect(v.state).toMatchObject({ status: 'failed', reason: 'The reply was cancelled' })
  })
})

describe('records', () => {
  test('a saved vote is restored, and re-choosing it sends nothing', async () => {
    fake.records.set('vote:e1', { vote: { rating: false, comment: 'meh' }, ref: 'r9', status: 'saved' })
    const v = vote()
    await flush()
    expect(v.state).toMatchObject({ vote: { rating: false, comment: 'meh' }, status: 'saved' })
    expect(fake.tracking('r9')).toBe(0)
  })

  test('a restored queued vote is followed again until it is saved', async () => {
    fake.records.set('vote:e1', { vote: { rating: true }, ref: 'r7', status: 'queued' })
    const v = vote()
    await flush()
    expect(v.state).toMatchObject({ vote: { rating: true }, status: 'queued' })
    expect(fake.tracking('r7')).toBe(1)
    fake.push('r7', { state: 'sent' })
    expect(v.state.status).toBe('saved')
    await flush()
    expect(fake.records.get('vote:e1')).toMatchObject({ ref: 'r7', status: 'saved' })
    expect(fake.calls).toEqual([])
  })

  test('a retract is recorded too, so the next page shows no vote', async () => {
    const v = vote()
    await flush()
    v.choose({ rating: true })
    await flush(100)
    v.choose(null)
    await flush(100)
    expect(fake.records.get('vote:e1')).toMatchObject({ vote: null, ref: 'r2', status: 'queued' })
    const again = vote()
    await flush()
    expect(again.state.vote).toBeNull()
  })
})
