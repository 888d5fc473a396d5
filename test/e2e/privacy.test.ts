/**
 * Privacy controls in real Chromium, read back from what the browser holds:
 * every value of the origin's Pollen databases and its localStorage.
 * - `enabled: false` stores and sends nothing, even when the page goes away, until `enable()`;
 * - `purge()` in one tab empties the queue and the records (the widget's votes) of every tab,
 *   a tab on the memory fallback included, and nothing purged reaches the server later;
 * - `disable({ purge: true })` does both;
 * - `beforeSend` as the app's redaction: the text it removes never reaches storage.
 */
import type { Page } from 'playwright'
import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { until } from '../support/page-server.js'
import { clientStats, createPageClient, flushClient, logEvents, missing, openClientPage, storedItemCount } from '../support/pollen-page.js'
import { openTestPage } from '../support/page-server.js'

const e2e = useE2e()

/** Everything Pollen keeps in the page's origin, as text: each value of every `pollen:` database, and localStorage. */
function heldByOrigin(page: Page): Promise<{ idb: string; local: string }> {
  return page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    const values: unknown[] = []
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('pollen:')) continue
      const db = await request(indexedDB.open(name))
      try {
        for (const store of db.objectStoreNames) values.push(...(await request(db.transaction(store).objectStore(store).getAll())))
      } finally {
        db.close()
      }
    }
    return { idb: JSON.stringify(values), local: JSON.stringify({ ...localStorage }) }
  })
}

test('enabled: false stores and sends nothing, not even at unload, until enable()', async () => {
  const { server, browser } = e2e
  const context = await browser.newContext()
  const options = { project: 'privacy-off', endpoint: '/api/pollen', flushInterval: 50, enabled: false }
  const page = await openClientPage(context, server.url, options)
  expect(await page.evaluate(() => (window as any).hh.enabled)).toBe(false)
  const ignored = await logEvents(page, 5, { name: 'before consent' })
  expect(ignored).toHaveLength(5) // ids as usual: the app's code does not change
  await page.evaluate((id) => (window as any).hh.feedback(id, { rating: true }), ignored[0])
  await flushClient(page)
  // Hidden, as when the tab goes away: no beacon, no fetchLater, nothing spilled.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
  })
  const held = await heldByOrigin(page)
  expect(held.idb).not.toContain('before consent')
  expect(held.local).not.toContain('before consent')
  expect(await storedItemCount(page)).toBe(0)
  expect(await clientStats(page)).toMatchObject({ pending: 0, drops: { disabled: 6 } })

  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    ;(window as any).hh.enable()
  })
  expect(await page.evaluate(() => (window as any).hh.enabled)).toBe(true)
  const consented = await logEvents(page, 3, { name: 'after consent' })
  await flushClient(page)
  await until(() => missing(server.ingest.events, consented).length === 0, 'the events logged after enable() arrive')
  expect(missing(server.ingest.events, ignored)).toHaveLength(5)
  expect(server.ingest.requests.filter((r) => r.body.includes('before consent'))).toEqual([])
  await context.close()
})

test('purge() in one tab empties the queue and the records of every tab (memory fallback included); nothing purged is sent later', async () => {
  const { server, browser } = e2e
  // The server is down: everything logged stays queued.
  server.ingest.faultFor = () => ({ status: 503 })
  const context = await browser.newContext()
  const options = { project: 'privacy-purge', endpoint: '/api/pollen', flushInterval: 50 }
  const a = await openClientPage(context, server.url, options)
  const b = await openClientPage(context, server.url, options)
  const c = await context.newPage() // the same client on the memory fallback
  await openTestPage(c, server.url)
  await createPageClient(c, { ...options, storage: 'memory' })
  const purged = [...(await logEvents(a, 5, { name: 'purged a' })), ...(await logEvents(b, 5, { name: 'purged b' })), ...(await logEvents(c, 5, { name: 'purged c' }))]
  await b.evaluate(() => (window as any).hh.records.set('vote:e1', { vote: { rating: true }, status: 'queued' }))
  await Promise.all([a, b, c].map(flushClient))
  expect(await storedItemCount(a)).toBeGreaterThanOrEqual(10)

  await a.evaluate(() => (window as any).hh.purge())
  const sentBefore = server.ingest.requests.length // refused by the server, while it was down
  expect(await storedItemCount(a)).toBe(0)
  expect(await b.evaluate(() => (window as any).hh.records.get('vote:e1'))).toBeUndefined()
  for (const page of [a, b]) {
    const held = await heldByOrigin(page)
    expect(held.idb).not.toContain('purged')
    expect(held.local).not.toContain('purged')
  }
  // The other tabs heard it: nothing of theirs is pending, the memory tab's queue included.
  await until(async () => (await Promise.all([a, b, c].map(clientStats))).every((s) => s.pending === 0), 'every tab has nothing pending')

  // The server is back: nothing purged goes out, from any tab, even at unload; new events do.
  server.ingest.faultFor = () => undefined
  const after = await logEvents(b, 2, { name: 'kept' })
  await Promise.all([a, b, c].map(flushClient))
  await until(() => missing(server.ingest.events, after).length === 0, 'events logged after the purge arrive')
  await c.close({ runBeforeUnload: true })
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(missing(server.ingest.events, purged)).toHaveLength(purged.length)
  expect(server.ingest.requests.slice(sentBefore).filter((r) => r.body.includes('purged'))).toEqual([])
  await context.close()
})

test('disable({ purge: true }) forgets what was queued and stops logging', async () => {
  const { server, browser } = e2e
  server.ingest.faultFor = () => ({ status: 503 })
  const context = await browser.newContext()
  const page = await openClientPage(context, server.url, { project: 'privacy-disable', endpoint: '/api/pollen', flushInterval: 50 })
  await logEvents(page, 4, { name: 'withdrawn' })
  await flushClient(page)
  await page.evaluate(() => (window as any).hh.disable({ purge: true }))
  const sentBefore = server.ingest.requests.length // refused by the server, while it was down
  await logEvents(page, 2, { name: 'withdrawn later' })
  server.ingest.faultFor = () => undefined
  await flushClient(page)
  expect(await storedItemCount(page)).toBe(0)
  expect((await heldByOrigin(page)).idb).not.toContain('withdrawn')
  expect(await clientStats(page)).toMatchObject({ pending: 0 })
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(server.ingest.requests.slice(sentBefore).filter((r) => r.body.includes('withdrawn'))).toEqual([])
  // The four events and their session's start were purged; the two logged while disabled were never kept.
  expect(await clientStats(page)).toMatchObject({ drops: { purged: 5, disabled: 2 } })
  await context.close()
})

test('beforeSend redacts before storage: the removed text is never in IndexedDB or localStorage, nor sent', async () => {
  const { server, browser } = e2e
  server.ingest.faultFor = () => ({ status: 503 })
  const context = await browser.newContext()
  const page = await context.newPage()
  await openTestPage(page, server.url)
  await page.evaluate(async () => {
    const w = window as any
    const email = /[\w.]+@[\w.]+/g
    w.hh = w.pollen.createClient({
      project: 'privacy-redact',
      endpoint: '/api/pollen',
      flushInterval: 50,
      beforeSend: (event: any) => ({ ...event, inputs: JSON.parse(JSON.stringify(event.inputs).replace(email, '[email]')) }),
    })
    await w.hh.flush()
    w.hh.log({ event_name: 'redacted', event_type: 'model', inputs: { chat_history: [{ role: 'user', content: 'mail me at ada@example.com' }] } })
    await w.hh.flush()
  })
  const held = await heldByOrigin(page)
  expect(held.idb).toContain('[email]')
  expect(held.idb).not.toContain('ada@example.com')
  expect(held.local).not.toContain('ada@example.com')
  server.ingest.faultFor = () => undefined
  await flushClient(page)
  await until(() => server.ingest.requests.some((r) => r.body.includes('[email]')), 'the redacted event arrives')
  expect(server.ingest.requests.filter((r) => r.body.includes('ada@example.com'))).toEqual([])
  await context.close()
})
