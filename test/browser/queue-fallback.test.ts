import { afterEach, expect, test, vi } from 'vitest'
import { createClient, type PollenError } from '../../src/index.js'
import { createKeyMaker, createQueue, type QueueItem } from '../../src/queue/index.js'

const nextKey = createKeyMaker('fallback')
const item = (kind: QueueItem['kind'] = 'event'): QueueItem => {
  const key = nextKey()
  const json = JSON.stringify({ key })
  return { key, kind, id: key, json, bytes: json.length }
}
const keys = (items: QueueItem[]) => items.map((i) => i.key)

const names: string[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  await Promise.all(
    names.splice(0).map((name) => new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve }))),
  )
})

/** The queue's database is named `pollen:` + its name. */
const databaseName = () => `pollen:fallback-${crypto.randomUUID()}`

function newQueue(database = databaseName()) {
  const name = database.slice('pollen:'.length)
  names.push(database)
  const faults: PollenError[] = []
  const queue = createQueue({
    name,
    owner: 'tab',
    storage: 'indexeddb',
    maxQueueBytes: 1e9,
    onStorageFault: (error) => faults.push(error),
    onEvicted: () => undefined,
  })
  return { database, queue, faults }
}

/** Opens `name` at a version above the queue's, as a newer Pollen in another tab would; resolves once upgraded. */
function upgrade(name: string, version: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version)
    request.onsuccess = () => {
      request.result.close()
      resolve()
    }
    request.onerror = () => reject(request.error)
  })
}

/** What a queue in memory still does: hold, read, remove, lock. */
async function expectWorkingMemoryQueue(queue: ReturnType<typeof createQueue>, items: QueueItem[]) {
  expect(queue.storage).toBe('memory')
  expect(keys(await queue.read(100))).toEqual(keys(items))
  expect(await queue.read(Infinity)).toHaveLength(items.length)
  await queue.remove(await queue.read(1))
  expect(keys(await queue.read(100))).toEqual(keys(items.slice(1)))
  expect(keys(queue.unsent())).toEqual(keys(items.slice(1)))
  const locked = await queue.withLock(async () => 'sent')
  expect(locked).toEqual({ acquired: true, value: 'sent' })
}

test('IndexedDB refuses to open (the database is at a newer version): the queue keeps every item in memory', async () => {
  const database = databaseName()
  await upgrade(database, 2)
  const { queue, faults } = newQueue(database)
  const items = [item('session'), item(), item('update')]
  for (const i of items) queue.add(i)
  await queue.settled()
  expect(faults.map((f) => f.code)).toEqual(['storage-unavailable'])
  expect(faults[0]!.message).toMatch(/VersionError/)
  await expectWorkingMemoryQueue(queue, items)
})

test('indexedDB.open throws (privacy mode): the queue keeps every item in memory and reports it once', async () => {
  vi.spyOn(indexedDB, 'open').mockImplementation(() => {
    throw new DOMException('The user denied permission to access the database.', 'SecurityError')
  })
  const { queue, faults } = newQueue()
  const items = [item(), item(), item()]
  queue.add(items[0]!)
  queue.add(items[1]!)
  await queue.settled()
  queue.add(items[2]!)
  await queue.settled()
  expect(faults.map((f) => f.code)).toEqual(['storage-unavailable'])
  expect(faults[0]!.message).toMatch(/SecurityError/)
  await expectWorkingMemoryQueue(queue, items)
})

test('IndexedDB closed under the queue (another tab upgrades): what it held moves to memory with the new items', async () => {
  const { database, queue, faults } = newQueue()
  const stored = [item(), item()]
  for (const i of stored) queue.add(i)
  await queue.settled()
  expect(queue.storage).toBe('indexeddb')
  await upgrade(database, 2) // our connection closes on versionchange
  const added = item()
  queue.add(added)
  await queue.settled()
  expect(faults.map((f) => f.code)).toEqual(['storage-unavailable'])
  await expectWorkingMemoryQueue(queue, [...stored, added])
})

test('a client whose IndexedDB fails still delivers, from memory, and says so in stats and onError', async () => {
  vi.spyOn(indexedDB, 'open').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError')
  })
  const bodies: { events?: { event_id: string }[] }[] = []
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const body = JSON.parse(await new Response(init.body).text())
    bodies.push(body)
    const accepted = [...(body.sessions ?? []).map((s: any) => s.session_id), ...(body.events ?? []).map((e: any) => e.event_id)]
    return new Response(JSON.stringify({ accepted, rejected: [] }), { status: 200 })
  })
  const errors: PollenError[] = []
  const hh = createClient({ project: `fallback-${crypto.randomUUID()}`, endpoint: '/api/pollen', flushInterval: 10, onError: (e) => errors.push(e) })
  const ids = [hh.log({ event_name: 'a', event_type: 'tool' }), hh.log({ event_name: 'b', event_type: 'tool' })]
  await hh.flush()
  expect(bodies.flatMap((b) => b.events ?? []).map((e) => e.event_id)).toEqual(ids)
  expect(hh.stats()).toMatchObject({ storage: 'memory', pending: 0, sent: 3 })
  expect(errors.map((e) => e.code)).toEqual(['storage-unavailable'])
  await hh.close()
})
