/**
 * Upgrades lose nothing: what an earlier release left in a browser, queued in
 * IndexedDB or spilled to localStorage, is delivered by today's code exactly
 * as it was stored, and its `records` (the widget's votes) still read back.
 *
 * Each stored format has a fixture written by the release that introduced it
 * (test/fixtures/stored/<version>/, see the README there). Each test restores
 * one into a fresh Chromium profile from a page that does not load Pollen,
 * checks the restore is exact, and only then starts today's client on it.
 *
 * These tests fail when the database name (`pollen:<mode>|<endpoint>|<project>`),
 * its version, its object stores, the segment or item shape, the meta keys
 * (`dropped-updates`, `record:<key>`), or the spill's key or item
 * shape change without a migration that still reads the old ones. Change
 * the format with a migration, add a fixture for the new format (generate.ts),
 * and keep every old one: a browser can skip releases.
 */
import type { Page } from 'playwright'
import { expect, test } from 'vitest'
import { readStoredFixture, type Logged } from '../fixtures/stored/fixture.js'
import { dumpIndexedDb, restoreIndexedDb, type StoredDatabase } from '../fixtures/stored/snapshot.js'
import { useE2e } from '../support/e2e.js'
import { openTestPage, until } from '../support/page-server.js'
import { storedItemCount } from '../support/pollen-page.js'

const e2e = useE2e()

/** A queued item as every format so far holds it: its wire JSON, as the server must receive it. */
interface StoredItem {
  key: string
  kind: 'session' | 'event' | 'update'
  id: string
  json: string
}

/**
 * Where each stored format keeps its items. A new format adds its reader here,
 * beside a fixture written by its release; the tests below run for each entry.
 */
const FORMATS: Record<string, { inIndexedDb(databases: StoredDatabase[]): StoredItem[]; inLocalStorage(values: Record<string, string>): StoredItem[] }> = {
  // Segments of up to 64 items in the `segments` store; a spill is a JSON array of items under `pollen-spill:<queue>:<tab>`.
  v1: {
    inIndexedDb: (databases) =>
      databases.flatMap((db) => db.stores.filter((store) => store.name === 'segments'))
        .flatMap((store) => store.records.flatMap((record) => (record.value as { items: StoredItem[] }).items)),
    inLocalStorage: (values) =>
      Object.entries(values).filter(([key]) => key.startsWith('pollen-spill:')).flatMap(([, value]) => JSON.parse(value) as StoredItem[]),
  },
}

/**
 * Puts the stored state in place from a page of the origin that does not load
 * Pollen, then compares it with the fixture: any difference is the restore's
 * fault, not the library's.
 */
async function restore(page: Page, baseUrl: string, databases: StoredDatabase[], values: Record<string, string>): Promise<void> {
  await page.route(`${baseUrl}/restore.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>restore</title>' }))
  await page.goto(`${baseUrl}/restore.html`)
  await page.evaluate(restoreIndexedDb, databases)
  await page.evaluate((values) => {
    for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value)
  }, values)
  expect(await page.evaluate(dumpIndexedDb)).toEqual(databases)
  expect(await page.evaluate(() => ({ ...localStorage }))).toEqual(values)
}

/** Starts today's client on the restored origin, with a `track()` listener on every ref the fixture names (see `tracked`). */
async function startClient(page: Page, baseUrl: string, client: { project: string; endpoint: string }, logged: Logged): Promise<void> {
  await openTestPage(page, baseUrl)
  await page.evaluate(({ client, refs }) => {
    const w = window as any
    // The fixture's items were queued when it was written; with the default maxAgeMs (7 days) a
    // later run would expire them instead of delivering them. Ten years keeps them fresh.
    w.hh = w.pollen.createClient({ ...client, flushInterval: 100, maxAgeMs: 10 * 365 * 86_400_000 })
    w.deliveries = {}
    for (const ref of refs) w.hh.track(ref, (delivery: unknown) => (w.deliveries[ref] ??= []).push(delivery))
  }, { client, refs: [...logged.updates, ...logged.dropped].map((update) => update.ref) })
}

/** What the page's `track()` listeners were told, by ref. */
function tracked(page: Page): Promise<Record<string, { state: string }[]>> {
  return page.evaluate(() => (window as any).deliveries)
}

/**
 * Waits (up to 15 s) until the ingest holds every stored item and `track()`
 * has told each of `refs` that it was sent. It does not fail by itself: the
 * assertions after it name what is missing.
 */
async function settled(page: Page, items: StoredItem[], refs: string[]): Promise<void> {
  const { ingest } = e2e.server
  const updates = items.filter((item) => item.kind === 'update').length
  const arrived = () =>
    items.every((item) => item.kind === 'update' || (item.kind === 'session' ? ingest.sessions : ingest.events).has(item.id)) &&
    ingest.updates.length >= updates
  await until(async () => {
    if (!arrived()) return false
    const told = await tracked(page)
    return refs.every((ref) => told[ref]?.at(-1)?.state === 'sent')
  }, 'every stored item arrives').catch(() => undefined)
}

/** What the ingest received is each stored item: byte for byte on the wire, once, and nothing else. */
function expectDelivered(items: StoredItem[]): void {
  const { ingest } = e2e.server
  const of = (kind: StoredItem['kind']) => items.filter((item) => item.kind === kind)
  for (const item of of('session')) expect(ingest.sessions.get(item.id), `session ${item.id}`).toEqual(JSON.parse(item.json))
  for (const item of of('event')) expect(ingest.events.get(item.id), `event ${item.id}`).toEqual(JSON.parse(item.json))
  const byTarget = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.event_id).localeCompare(String(b.event_id))
  expect([...ingest.updates].sort(byTarget)).toEqual(of('update').map((item) => JSON.parse(item.json)).sort(byTarget))
  expect(ingest.sessions.size).toBe(of('session').length)
  expect(ingest.events.size).toBe(of('event').length)
  expect([...ingest.deliveries.values()].every((n) => n === 1), 'each event once on the wire').toBe(true)
  const wire = ingest.requests.map((request) => request.body).join('\n')
  expect(items.filter((item) => !wire.includes(item.json)).map((item) => item.key), 'items not sent as stored').toEqual([])
}

/** The fixture holds what its page logged, by the ids and refs the client returned there. */
function expectComplete(items: StoredItem[], logged: Logged): void {
  const ids = (kind: StoredItem['kind']) => items.filter((item) => item.kind === kind).map((item) => item.id).sort()
  expect(ids('session')).toEqual([...logged.sessions].sort())
  expect(ids('event')).toEqual([...logged.events].sort())
  expect(items.filter((item) => item.kind === 'update').map((item) => [item.key, item.id]).sort()).toEqual(
    logged.updates.map((update) => [update.ref, update.event_id]).sort(),
  )
}

for (const [version, format] of Object.entries(FORMATS)) {
  const stored = readStoredFixture(version)
  const writer = stored.indexedDb.writtenBy.commit.slice(0, 7)

  test(`${version} (${writer}): what IndexedDB holds is delivered as stored, with its records and dropped updates`, async () => {
    const { server, browser } = e2e
    const { databases, client, logged } = stored.indexedDb
    const items = format.inIndexedDb(databases)
    expectComplete(items, logged)
    // The first request waits, so that the new page finds the old refs still queued.
    server.ingest.faults.push({ stallMs: 1000 })
    const context = await browser.newContext()
    const page = await context.newPage()
    await restore(page, server.url, databases, {})
    await startClient(page, server.url, client, logged)

    const refs = logged.updates.map((update) => update.ref)
    await settled(page, items, refs)
    expectDelivered(items)
    const told = await tracked(page)
    for (const ref of refs) expect(told[ref], `track(${ref})`).toEqual([{ state: 'queued' }, { state: 'sent' }])
    for (const { ref, reason } of logged.dropped) expect(told[ref], `track(${ref})`).toEqual([{ state: 'dropped', reason }])
    for (const [key, value] of Object.entries(logged.records)) {
      expect(await page.evaluate((key) => (window as any).hh.records.get(key), key), `records.get(${key})`).toEqual(value)
    }
    await until(async () => (await storedItemCount(page)) === 0, 'the queue empties')
    await context.close()
  })

  test(`${version} (${writer}): a localStorage spill alone is taken into the queue and delivered as stored`, async () => {
    const { server, browser } = e2e
    const { localStorage: values, client, logged } = stored.localStorage
    const items = format.inLocalStorage(values)
    expectComplete(items, logged)
    const context = await browser.newContext()
    const page = await context.newPage()
    await restore(page, server.url, [], values)
    await startClient(page, server.url, client, logged)

    const refs = logged.updates.map((update) => update.ref)
    await settled(page, items, refs)
    expectDelivered(items)
    const told = await tracked(page)
    for (const ref of refs) expect(told[ref]?.at(-1), `track(${ref})`).toEqual({ state: 'sent' })
    // What remains is the note of what the proxy reads (client/proxy-reads.ts), no item.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => !key.startsWith('pollen-reads:'))), 'the spill is taken').toEqual([])
    await until(async () => (await storedItemCount(page)) === 0, 'the queue empties')
    await context.close()
  })
}
