import { expect, test } from 'vitest'
import type { Page } from 'playwright'
import { useE2e } from '../support/e2e.js'
import { openTestPage, until } from '../support/page-server.js'
import { eventIdsIn, isBeacon, logEvents, missing, openClientPage, storedItemCount } from '../support/pollen-page.js'

const e2e = useE2e()

/**
 * Holds the origin's Pollen queue still: a readwrite transaction on both of
 * its stores, kept alive with requests until `releaseQueue()` runs. IndexedDB
 * starts a later transaction on them only after this one, so a tab that has
 * taken the send lock waits at its first read, before it knows (and claims)
 * what it will send; a page's writes wait too.
 */
function holdQueue(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    const [queue] = (await indexedDB.databases()).filter((db) => db.name?.startsWith('pollen:'))
    const db = await request(indexedDB.open(queue!.name!))
    const meta = db.transaction(['segments', 'meta'], 'readwrite').objectStore('meta')
    let held = true
    const spin = () => {
      if (held) meta.get('hold').onsuccess = spin
    }
    spin()
    ;(window as any).releaseQueue = () => {
      held = false
    }
  })
}

/** Whether a page of the origin holds Pollen's send lock. */
function sendLockHeld(page: Page): Promise<boolean> {
  return page.evaluate(async () => ((await navigator.locks.query()).held ?? []).some((lock) => lock.name?.startsWith('pollen:')))
}

/**
 * Two tabs A and B of one origin; A logs five events and storage takes them.
 * Then B takes the send lock and waits at its first read (the queue is held),
 * before it can claim what it will send; `meanwhile` runs, and A goes away.
 * Then B reads and sends.
 */
async function closeWhileAnotherReads(project: string, meanwhile: (a: Page) => Promise<string[]> = async () => []) {
  const { server, browser } = e2e
  const context = await browser.newContext()
  // Nothing sends on its own: only the flush asked of B, and A's unload path.
  const options = { project, endpoint: '/api/pollen', flushInterval: 60_000, batchSize: 1000 }
  const a = await openClientPage(context, server.url, options)
  const b = await openClientPage(context, server.url, options)
  const holder = await context.newPage()
  await openTestPage(holder, server.url)

  const stored = await logEvents(a, 5, { name: 'stored' })
  await until(async () => (await storedItemCount(a)) === 6, "A's session and events are stored")
  await holdQueue(holder)
  void b.evaluate(() => (window as any).hh.flush())
  await until(() => sendLockHeld(holder), 'B holds the send lock')
  const unstored = await meanwhile(a)
  // Time for what B tells the other tabs to arrive, then A goes away, and its beacon (if any) arrives.
  await new Promise((resolve) => setTimeout(resolve, 300))
  await a.close({ runBeforeUnload: false })
  await new Promise((resolve) => setTimeout(resolve, 300))
  await holder.evaluate(() => (window as any).releaseQueue())

  await until(() => missing(server.ingest.events, [...stored, ...unstored]).length === 0, 'every event of A arrives')
  await until(async () => (await storedItemCount(b)) === 0, 'B confirmed what it sent: nothing is left in storage')
  /** Event ids that beacons (true) or fetches (false) carried. */
  const carried = (beacon: boolean) => server.ingest.requests.filter((r) => isBeacon(r) === beacon).flatMap(eventIdsIn).sort()
  return { server, context, stored, unstored, carried }
}

test('a tab that goes away while another reads for a send leaves what storage holds to that one: each event goes on the wire once', async () => {
  // On main A's beacon carried its five stored events, and B then read and sent them again.
  const { server, context, stored, carried } = await closeWhileAnotherReads('tab-race')
  expect([...server.ingest.deliveries.entries()].filter(([, n]) => n !== 1)).toEqual([])
  expect(carried(true)).toEqual([])
  expect(carried(false)).toEqual([...stored].sort())
  await context.close()
})

test('meanwhile, what storage does not hold yet still leaves by the beacon of the tab that goes away', async () => {
  // Logged while the queue is held: B cannot read these, so A hands them to its beacon (and spills them).
  const { server, context, stored, unstored, carried } = await closeWhileAnotherReads('tab-race-unstored', (a) => logEvents(a, 3, { name: 'unstored' }))
  expect(carried(true)).toEqual([...unstored].sort())
  // B sent the stored ones, once. (When A's pending write still lands after A went, B sends the
  // unstored ones again: the documented repeat of what a beacon carried, not checked here.)
  expect(carried(false).filter((id) => !unstored.includes(id))).toEqual([...stored].sort())
  expect(stored.map((id) => server.ingest.deliveries.get(id))).toEqual([1, 1, 1, 1, 1])
  await context.close()
})
