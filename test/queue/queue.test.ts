import { afterEach, describe, expect, test, vi } from 'vitest'
import { createQueue, openIndexedDbStore, type QueueItem } from '../../src/queue/index.js'
import { createSendLock } from '../../src/queue/lock.js'

let n = 0
const item = (kind: QueueItem['kind'] = 'event', bytes = 100): QueueItem => {
  n++
  return { key: `k${String(n).padStart(6, '0')}`, kind, id: `id${n}`, json: 'x'.repeat(bytes), bytes }
}
const dbName = () => `test-${Math.random()}`

afterEach(() => vi.restoreAllMocks())

describe('IndexedDB store', () => {
  test('keeps items in order across segments and removes them partially', async () => {
    const store = await openIndexedDbStore(dbName())
    const items = Array.from({ length: 150 }, () => item())
    await store.append(items.slice(0, 100), 1e9) // two segments: 64 + 36
    await store.append(items.slice(100), 1e9)
    const read = await store.read(70)
    expect(read.map((i) => i.key)).toEqual(items.slice(0, 70).map((i) => i.key))
    await store.remove(read.filter((_, i) => i % 2 === 0))
    expect(await store.read(Infinity)).toHaveLength(115)
    const rest = await store.read(1000)
    expect(rest.map((i) => i.key)).toEqual(items.filter((_, i) => i >= 70 || i % 2 === 1).map((i) => i.key))
    store.close()
  })

  test('segments read whole and delivered are deleted without being read again, and their bytes freed', async () => {
    const store = await openIndexedDbStore(dbName())
    const items = Array.from({ length: 150 }, () => item())
    await store.append(items, 1e9) // segments of 64, 64 and 22
    const read = await store.read(100) // the first two whole, 36 of the third
    const gets = vi.spyOn(IDBObjectStore.prototype, 'get')
    await store.remove(read)
    // The third segment is read to be rewritten, and the byte counter; the first two are not read.
    expect(gets).toHaveBeenCalledTimes(2)
    expect((await store.read(Infinity)).map((i) => i.key)).toEqual(items.slice(100).map((i) => i.key))
    expect(await store.getMeta('bytes')).toBe(50 * 100)
    store.close()
  })

  test('evicts the oldest events past maxBytes, never sessions or updates', async () => {
    const store = await openIndexedDbStore(dbName())
    const first = [item('session'), item('event'), item('update'), item('event'), item('event')]
    expect(await store.append(first, 1000)).toEqual([])
    const evicted = await store.append([item('event'), item('event')], 500)
    expect(evicted.map((i) => i.kind)).toEqual(['event', 'event'])
    expect(evicted.map((i) => i.key)).toEqual([first[1]!.key, first[3]!.key])
    expect((await store.read(100)).map((i) => i.kind)).toEqual(['session', 'update', 'event', 'event', 'event'])
    store.close()
  })

  test('a lease has one owner at a time and expires', async () => {
    const store = await openIndexedDbStore(dbName())
    expect(await store.claimLease('a', 50)).toBe(true)
    expect(await store.claimLease('b', 50)).toBe(false)
    expect(await store.claimLease('a', 50)).toBe(true)
    await new Promise((r) => setTimeout(r, 60))
    expect(await store.claimLease('b', 50)).toBe(true)
    await store.releaseLease('a') // not the owner: no effect
    expect(await store.claimLease('a', 50)).toBe(false)
    await store.releaseLease('b')
    expect(await store.claimLease('a', 50)).toBe(true)
    store.close()
  })
})

describe('queue', () => {
  const options = (name: string, overrides = {}) => ({
    name,
    owner: 'tab',
    storage: 'indexeddb' as const,
    maxQueueBytes: 1e9,
    onStorageFault: vi.fn(),
    onEvicted: vi.fn(),
    ...overrides,
  })

  test('items survive a reload: a new queue on the same database reads them', async () => {
    const name = dbName()
    const first = createQueue(options(name))
    const items = [item(), item('update')]
    items.forEach((i) => first.add(i))
    await first.close()
    const second = createQueue(options(name))
    expect((await second.read(10)).map((i) => i.key)).toEqual(items.map((i) => i.key))
    expect(second.unsent()).toEqual([]) // the mirror is per page
    await second.close()
  })

  test('a burst is written in parts of at most 256 kB, each its own transaction, all in order', async () => {
    const name = dbName()
    const queue = createQueue(options(name))
    await queue.settled()
    const writes = vi.spyOn(IDBDatabase.prototype, 'transaction')
    const items = Array.from({ length: 12 }, () => item('event', 100_000))
    items.forEach((i) => queue.add(i))
    await queue.settled()
    // Six parts of 2 items; each append is a write of the items, then one of the byte counter.
    expect(writes.mock.calls.filter(([, mode]) => mode === 'readwrite')).toHaveLength(12)
    expect((await queue.read(100)).map((i) => i.key)).toEqual(items.map((i) => i.key))
    await queue.close()
  })

  test('when IndexedDB fails to open, it moves to memory with everything accepted, and says so once', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    const opts = options(dbName())
    const queue = createQueue(opts)
    const items = [item(), item()]
    items.forEach((i) => queue.add(i))
    await queue.settled()
    expect(queue.storage).toBe('memory')
    expect(opts.onStorageFault).toHaveBeenCalledOnce()
    expect(opts.onStorageFault.mock.calls[0]![0]).toMatchObject({ code: 'storage-unavailable', message: expect.stringMatching(/SecurityError: denied/) })
    expect((await queue.read(10)).map((i) => i.key)).toEqual(items.map((i) => i.key))
  })

  test('when a write fails mid-way (quota), nothing accepted is lost', async () => {
    const opts = options(dbName())
    const queue = createQueue(opts)
    const before = item()
    queue.add(before)
    await queue.settled()
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    const after = item()
    queue.add(after)
    await queue.settled()
    expect(queue.storage).toBe('memory')
    expect(opts.onStorageFault).toHaveBeenCalledOnce()
    expect((await queue.read(10)).map((i) => i.key)).toEqual([before.key, after.key])
  })

  test('the mirror forgets items that another tab delivered', async () => {
    const name = dbName()
    const mine = createQueue(options(name, { owner: 'a' }))
    const other = createQueue(options(name, { owner: 'b' }))
    const x = item()
    mine.add(x)
    await mine.settled()
    await other.remove(await other.read(10)) // the other tab delivered it
    expect(mine.unsent()).toHaveLength(1)
    expect(await mine.read(10)).toEqual([])
    expect(mine.unsent()).toHaveLength(0)
  })
})

describe('send lock without Web Locks (IndexedDB lease)', () => {
  test('two tabs never hold it at once', async () => {
    const store = await openIndexedDbStore(dbName())
    const a = createSendLock('l', 'a', () => store)
    const b = createSendLock('l', 'b', () => store)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const first = a.run(async () => {
      await held
      return 'a'
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(await b.run(async () => 'b')).toEqual({ acquired: false })
    release()
    expect(await first).toEqual({ acquired: true, value: 'a' })
    expect(await b.run(async () => 'b')).toEqual({ acquired: true, value: 'b' })
  })
})

describe('eviction and sends in flight', () => {
  test('items being sent are not evicted (they would be counted lost, then delivered)', async () => {
    const onEvicted = vi.fn()
    const queue = createQueue({ name: dbName(), owner: 't', storage: 'indexeddb', maxQueueBytes: 450, onStorageFault: vi.fn(), onEvicted })
    const first = [item(), item()]
    first.forEach((i) => queue.add(i))
    await queue.settled()
    queue.protect(first.map((i) => i.key), true) // a send has them
    const more = [item(), item(), item()]
    more.forEach((i) => queue.add(i))
    await queue.settled()
    const evicted = onEvicted.mock.calls.flat(2) as QueueItem[]
    expect(evicted.map((i) => i.key)).toEqual([more[0]!.key])
    expect((await queue.read(10)).map((i) => i.key)).toEqual([...first, ...more.slice(1)].map((i) => i.key))
  })
})

describe('spill', () => {
  test('a page going away before IndexedDB opened spills to localStorage; the next page queues it', async () => {
    const name = dbName()
    // The database never answers this page: it goes away while it is still opening.
    const hang = vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest)
    const going = createQueue({ name, owner: 'old', storage: 'indexeddb', maxQueueBytes: 1e9, onStorageFault: vi.fn(), onEvicted: vi.fn() })
    const items = [item('session'), item(), item('update')]
    items.forEach((i) => going.add(i))
    going.spill()
    hang.mockRestore()

    const next = createQueue({ name, owner: 'new', storage: 'indexeddb', maxQueueBytes: 1e9, onStorageFault: vi.fn(), onEvicted: vi.fn() })
    expect((await next.read(10)).map((i) => i.key)).toEqual(items.map((i) => i.key))
    expect(Object.keys(localStorage).filter((k) => k.includes(name))).toEqual([]) // taken, not left for a third page
    await next.close()
  })

  test('what is already in IndexedDB is not spilled, and a page that stays clears its spill once stored', async () => {
    const name = dbName()
    const queue = createQueue({ name, owner: 'tab', storage: 'indexeddb', maxQueueBytes: 1e9, onStorageFault: vi.fn(), onEvicted: vi.fn() })
    const first = item()
    queue.add(first)
    await queue.settled()
    const second = item()
    queue.add(second)
    queue.spill() // page hidden before the second item's write
    const key = Object.keys(localStorage).find((k) => k.includes(name))!
    expect(JSON.parse(localStorage.getItem(key)!).map((i: QueueItem) => i.key)).toEqual([second.key])
    await queue.settled()
    expect(localStorage.getItem(key)).toBeNull()
    await queue.close()
  })
})
