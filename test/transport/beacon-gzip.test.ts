import { beforeEach, expect, test, vi } from 'vitest'

// gzipSync as it is, counted, or failing on demand.
const gzip = vi.hoisted(() => ({ calls: 0, fail: false }))
vi.mock('../../src/transport/gzip-sync.js', async (original) => {
  const real = await original<typeof import('../../src/transport/gzip-sync.js')>()
  return {
    gzipSync(input: Uint8Array) {
      gzip.calls++
      if (gzip.fail) throw new RangeError('Array buffer allocation failed')
      return real.gzipSync(input)
    },
  }
})
const { sendOnUnload, UNLOAD_BUDGET_BYTES } = await import('../../src/transport/index.js')

const proxy = { mode: 'proxy', endpoint: '/api/pollen', gzip: true } as const
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const event = (n: number, size: number) => {
  const json = JSON.stringify({ event_id: id(n), event_name: 'turn', outputs: { content: 'words '.repeat(size / 6) } })
  return { key: `k${String(n).padStart(4, '0')}`, kind: 'event' as const, id: id(n), json, bytes: json.length }
}

beforeEach(() => Object.assign(gzip, { calls: 0, fail: false }))

test('a compression that throws leaves the page alone: what is left goes as plain JSON', () => {
  gzip.fail = true
  const bodies: unknown[] = []
  const items = Array.from({ length: 40 }, (_, n) => event(n, 3000))
  const { sent, bytes } = sendOnUnload(proxy, items, 0, (request) => (bodies.push(request.body), true))
  expect(gzip.calls).toBe(1)
  expect(sent.length).toBeGreaterThan(10)
  expect(bodies.every((body) => typeof body === 'string')).toBe(true)
  expect(bytes).toBeLessThanOrEqual(UNLOAD_BUDGET_BYTES)
})

test('an item of more than 8 times the budget is not compressed at all: it cannot fit', () => {
  const huge = event(1, UNLOAD_BUDGET_BYTES * 8 + 1000)
  const { sent } = sendOnUnload(proxy, [huge, event(2, 100)], 0, () => true)
  expect(gzip.calls).toBe(0)
  expect(sent).toEqual([])
})
