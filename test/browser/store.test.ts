import { afterEach, describe, expect, test } from 'vitest'
import { openIndexedDbStore, type QueueItem, type Store } from '../../src/queue/index.js'

let n = 0
/** An item whose `bytes` is its real size: `bytes` characters of ASCII JSON. */
const item = (kind: QueueItem['kind'] = 'event', bytes = 100): QueueItem => {
  n++
  return { key: `${String(n).padStart(15, '0')}.test.000000`, kind, id: `id${n}`, json: `"${'x'.repeat(bytes - 2)}"`, bytes }
}
const keys = (items: QueueItem[]) => items.map((i) => i.key)

const opened: Store[] = []
const names: string[] = []
/** A store on a database of its own; `connections` > 1 opens it more than once, like tabs do. */
async function openStores(connections = 1, name = `pollen-test:${crypto.randomUUID()}`): Promise<Store[]> {
  names.push(name)
  const stores = await Promise.all(Array.from({ length: connections }, () => openIndexedDbStore(name)))
  opened.push(...stores)
  return stores
}
afterEach(async () => {
  for (const store of opened.splice(0)) store.close()
  await Promise.all(
    names.splice(0).map((name) => new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve }))),
  )
})

describe('append, read, remove', () => {
  test('has() finds stored keys in any segment, and no longer after remove', async () => {
    const [store] = await openStores()
    const items = Array.from({ length: 150 }, () => item())
    await store!.append(items, 1e9) // segments of 64, 64 and 22
    const asked = [items[0]!.key, items[70]!.key, items[149]!.key, 'not-a-key', `${items[149]!.key}z`]
    const has = async () => new Set((await Promise.all(asked.map((key) => store!.has(key)))).flatMap((found, i) => (found ? [asked[i]] : [])))
    expect(await has()).toEqual(new Set(asked.slice(0, 3)))
    await store!.remove((await store!.read(100)).filter((i) => i.key === items[70]!.key))
    expect(await has()).toEqual(new Set([items[0]!.key, items[149]!.key]))
    expect(await store!.has('')).toBe(false)
  })

  test('keeps items in order across segments; read names the segment of each item', async () => {
    const [store] = await openStores()
    const items = Array.from({ length: 160 }, () => item())
    await store!.append(items.slice(0, 150), 1e9) // segments of 64, 64 and 22
    await store!.append(items.slice(150), 1e9) // one more of 10
    const all = await store!.read(1000)
    expect(keys(all)).toEqual(keys(items))
    expect(new Set(all.map((i) => i.segment))).toEqual(new Set([items[0]!.key, items[64]!.key, items[128]!.key, items[150]!.key]))
    expect(all[63]!.segment).toBe(items[0]!.key)
    expect(all[64]!.segment).toBe(items[64]!.key)
    expect(keys(await store!.read(70))).toEqual(keys(items.slice(0, 70)))
    expect(await store!.read(Infinity)).toHaveLength(160)
  })

  test('remove deletes exactly the given items across segments; unknown ones are ignored', async () => {
    const [store] = await openStores()
    const items = Array.from({ length: 150 }, () => item())
    await store!.append(items, 1e9)
    const read = await store!.read(1000)
    // The end of the first segment, the start of the second, all of the third.
    const gone = [...read.slice(60, 70), ...read.slice(128)]
    await store!.remove([...gone, { ...item(), segment: items[0]!.key }, item()])
    expect(await store!.read(Infinity)).toHaveLength(150 - 10 - 22)
    expect(keys(await store!.read(1000))).toEqual(keys([...items.slice(0, 60), ...items.slice(70, 128)]))
  })

  test('another connection (another tab) sees what one appended and removed', async () => {
    const [a, b] = await openStores(2)
    const items = Array.from({ length: 5 }, () => item())
    await a!.append(items, 1e9)
    expect(keys(await b!.read(10))).toEqual(keys(items))
    await b!.remove(await b!.read(2))
    expect(keys(await a!.read(10))).toEqual(keys(items.slice(2)))
  })
})

describe('eviction', () => {
  test('past maxBytes the oldest events go, never sessions or updates; at maxBytes nothing goes', async () => {
    const [store] = await openStores()
    const session = item('session')
    const update = item('update')
    const events = [item(), item(), item()]
    expect(await store!.append([session, update, ...events], 500)).toEqual([]) // exactly 500
    const e4 = item()
    expect(keys(await store!.append([e4], 500))).toEqual([events[0]!.key])
    const updates = [item('update'), item('update'), item('update')]
    expect(keys(await store!.append(updates, 500))).toEqual(keys([events[1]!, events[2]!, e4]))
    // Only sessions and updates are left: over the cap, but none of them is evicted.
    const last = item('update')
    expect(await store!.append([last], 500)).toEqual([])
    expect(keys(await store!.read(100))).toEqual(keys([session, update, ...updates, last]))
  })

  test('removed items free their bytes: the cap counts what is stored, not what was ever appended', async () => {
    const [store] = await openStores()
    const items = Array.from({ length: 10 }, () => item())
    expect(await store!.append(items, 1000)).toEqual([])
    await store!.remove(await store!.read(5))
    expect(await store!.append(Array.from({ length: 5 }, () => item()), 1000)).toEqual([]) // 1000 again
    expect(await store!.read(Infinity)).toHaveLength(10)
    expect(keys(await store!.append([item()], 1000))).toEqual([items[5]!.key])
  })

  test('the cap is shared by the connections of a database', async () => {
    const [a, b] = await openStores(2)
    const first = [item(), item(), item()]
    await a!.append(first, 400)
    expect(keys(await b!.append([item(), item()], 400))).toEqual([first[0]!.key])
  })
})

describe('lease', () => {
  test('one owner at a time across connections; renewing, foreign release and release', async () => {
    const [a, b] = await openStores(2)
    expect(await a!.claimLease('a', 60_000)).toBe(true)
    expect(await b!.claimLease('b', 60_000)).toBe(false)
    expect(await a!.claimLease('a', 60_000)).toBe(true) // the holder renews
    await b!.releaseLease('b') // not the holder: no effect
    expect(await b!.claimLease('b', 60_000)).toBe(false)
    await a!.releaseLease('a')
    expect(await b!.claimLease('b', 60_000)).toBe(true)
    expect(await a!.claimLease('a', 60_000)).toBe(false)
  })

  test('of owners claiming at the same moment, exactly one gets it', async () => {
    const stores = await openStores(4)
    const claims = await Promise.all(stores.map((store, i) => store.claimLease(`owner${i}`, 60_000)))
    expect(claims.filter(Boolean)).toHaveLength(1)
  })

  test('a lease its owner never released expires after its ttl', async () => {
    const [a, b] = await openStores(2)
    const ttl = 200
    const start = Date.now()
    expect(await a!.claimLease('a', ttl)).toBe(true)
    expect(await b!.claimLease('b', ttl)).toBe(false)
    while (!(await b!.claimLease('b', ttl))) {
      expect(Date.now() - start).toBeLessThan(5000)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(Date.now() - start).toBeGreaterThanOrEqual(ttl)
    expect(await a!.claimLease('a', ttl)).toBe(false)
  })
})

test('meta values are shared, and undefined deletes them', async () => {
  const [a, b] = await openStores(2)
  await a!.setMeta('retry', { attempt: 2, until: 123 })
  expect(await b!.getMeta('retry')).toEqual({ attempt: 2, until: 123 })
  await b!.setMeta('retry', undefined)
  expect(await a!.getMeta('retry')).toBeUndefined()
})

describe('clear (purge)', () => {
  test('clear(keys) deletes exactly those items, in any segment, and frees their bytes for the cap', async () => {
    const [store] = await openStores()
    const items = Array.from({ length: 150 }, () => item()) // segments of 64, 64 and 22
    await store!.append(items, 1e9)
    const gone = [items[3]!, ...items.slice(60, 70), items[149]!]
    await store!.clear(keys(gone))
    const kept = items.filter((i) => !gone.includes(i))
    expect(keys(await store!.read(1000))).toEqual(keys(kept))
    // The byte counter went down by what left: 138 stored items of 100 B fit a cap of 13,900 B with one more.
    expect(await store!.append([item()], kept.length * 100 + 100)).toEqual([])
  })

  test('clear() deletes every item and shared value but the lease, which its holder keeps', async () => {
    const [a, b] = await openStores(2)
    await a!.append(Array.from({ length: 70 }, () => item()), 1e9)
    await a!.setMeta('record:vote:e1', { rating: true })
    await a!.setMeta('retry', { until: 1 })
    expect(await a!.claimLease('a', 60_000)).toBe(true)
    await b!.clear()
    expect(await a!.read(1000)).toEqual([])
    expect(await a!.getMeta('record:vote:e1')).toBeUndefined()
    expect(await a!.getMeta('retry')).toBeUndefined()
    expect(await b!.claimLease('b', 60_000)).toBe(false)
    // And the byte counter is back to zero: a cap of one item holds one item.
    expect(await a!.append([item()], 100)).toEqual([])
  })
})
