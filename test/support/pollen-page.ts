/**
 * Drives a Pollen client inside a Playwright page: the test page exposes the
 * library as `window.pollen`; these helpers keep the client as `window.hh`.
 * Plus readers for what the ingest recorded.
 */
import type { BrowserContext, Page } from 'playwright'
import type { ClientOptions, ClientStats } from '../../src/index.js'
import type { RecordedRequest } from './ingest.js'
import { openTestPage } from './page-server.js'

/** Options that survive `page.evaluate` (no functions). */
export type PageClientOptions = Omit<ClientOptions, 'beforeSend' | 'onError'>

/**
 * Creates `window.hh` on a page that already shows the test page, and waits
 * until its queue is open: until then IndexedDB cannot hold anything, so a page
 * closed sooner keeps only what its unload beacon carried.
 */
export async function createPageClient(page: Page, options: PageClientOptions): Promise<void> {
  await page.evaluate(async (options) => {
    const w = window as any
    w.hh = w.pollen.createClient(options)
    await w.hh.flush() // resolves once the queue's storage is open
  }, options)
}

/** Opens a new page of `context` on the test page and creates a client there. */
export async function openClientPage(context: BrowserContext, baseUrl: string, options: PageClientOptions): Promise<Page> {
  const page = await context.newPage()
  await openTestPage(page, baseUrl)
  await createPageClient(page, options)
  return page
}

/**
 * Logs `count` events in one task, each with `padding` characters of output
 * (about that many bytes more JSON), and returns their ids. Nothing is awaited
 * in the page: the caller decides what happens next (close, reload, flush).
 */
export function logEvents(page: Page, count: number, options: { name?: string; padding?: number } = {}): Promise<string[]> {
  return page.evaluate(({ count, name, padding }) => {
    const hh = (window as any).hh
    const content = 'x'.repeat(padding)
    const ids: string[] = []
    for (let i = 0; i < count; i++) ids.push(hh.log({ event_name: `${name} ${i}`, event_type: 'tool', outputs: { content } }))
    return ids
  }, { count, name: options.name ?? 'e2e', padding: options.padding ?? 0 })
}

/**
 * Logs `count` events in bursts of 10, yielding 20 ms between bursts so that
 * the sends of several tabs interleave, and returns their ids.
 */
export function logInBursts(page: Page, count: number, name: string): Promise<string[]> {
  return page.evaluate(async ({ count, name }) => {
    const hh = (window as any).hh
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      ids.push(hh.log({ event_name: `${name} ${i}`, event_type: 'tool' }))
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return ids
  }, { count, name })
}

export function clientStats(page: Page): Promise<ClientStats> {
  return page.evaluate(() => (window as any).hh.stats() as ClientStats)
}

export function flushClient(page: Page): Promise<void> {
  return page.evaluate(() => (window as any).hh.flush())
}

/** Event ids a recorded request carried: the proxy envelope's or `/events/batch`'s `events`. */
export function eventIdsIn(request: RecordedRequest): string[] {
  if (request.method !== 'POST' || !(request.path === '/api/pollen' || request.path === '/events/batch')) return []
  try {
    const body = JSON.parse(request.body) as { events?: { event_id?: string }[] }
    return (body.events ?? []).map((event) => event.event_id!).filter(Boolean)
  } catch {
    return []
  }
}

/** Requests sent by `navigator.sendBeacon` (Chromium sends them with `Sec-Fetch-Mode: no-cors`). */
export function isBeacon(request: RecordedRequest): boolean {
  return request.fetchMode === 'no-cors'
}

/** Ids (of `ids`) that the ingest did not store. */
export function missing(stored: Map<string, unknown>, ids: Iterable<string>): string[] {
  return [...ids].filter((id) => !stored.has(id))
}

/**
 * Items left in the page origin's Pollen queues (every `pollen:` database,
 * all tabs), read with a connection of its own: 0 once everything was
 * confirmed, so nothing would be sent again on a later visit.
 */
export function storedItemCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    let total = 0
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('pollen:')) continue
      const db = await request(indexedDB.open(name))
      try {
        const segments = (await request(db.transaction('segments').objectStore('segments').getAll())) as { items: unknown[] }[]
        for (const segment of segments) total += segment.items.length
      } finally {
        db.close()
      }
    }
    return total
  })
}
