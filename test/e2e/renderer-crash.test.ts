/**
 * A tab that dies without a goodbye: the renderer process is killed with
 * SIGKILL (found by pid in this test's own Chromium process tree), so no
 * pagehide runs and no beacon can go. Items registered with fetchLater() are
 * still delivered by the browser; without fetchLater they wait in IndexedDB
 * for the next visit.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, openTestPage, startPageServer, until } from '../support/page-server.js'
import { createPageClient, logEvents, missing } from '../support/pollen-page.js'

let server: Awaited<ReturnType<typeof startPageServer>>
beforeAll(async () => {
  server = await startPageServer()
})
afterAll(() => server?.close())

/** Pids of the renderer processes below this test process (its Chromium's, and no other's). */
function renderers(): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended while we looked.
    }
  }
  const below = (pid: number) => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true
    return false
  }
  return [...parentOf.keys()].filter((pid) => {
    try {
      return below(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')
    } catch {
      return false
    }
  })
}

/** Logs 30 events in a page that sends nothing on its own for minutes, waits for the deferred registration, then kills the renderers. */
async function logThenCrash(browser: Browser, withoutFetchLater: boolean): Promise<string[]> {
  const page = await browser.newPage()
  await openTestPage(page, server.url)
  if (withoutFetchLater) await page.evaluate(() => Object.defineProperty(window, 'fetchLater', { value: undefined }))
  expect(await page.evaluate(() => typeof (window as any).fetchLater)).toBe(withoutFetchLater ? 'undefined' : 'function')
  await createPageClient(page, { project: 'crash', endpoint: '/api/pollen', flushInterval: 600_000, batchSize: 1000 })
  const ids = await logEvents(page, 30, { name: 'crash', padding: 200 })
  // The copy is replaced at most every 500 ms; nothing was sent the normal way.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(missing(server.ingest.events, ids)).toHaveLength(30)
  const pids = renderers()
  expect(pids.length).toBeGreaterThan(0)
  for (const pid of pids) process.kill(pid, 'SIGKILL')
  return ids
}

test('a renderer killed without pagehide: the items registered with fetchLater arrive', async () => {
  const browser = await launchChromium()
  try {
    const ids = await logThenCrash(browser, false)
    await until(() => missing(server.ingest.events, ids).length === 0, 'the deferred request arrives after the crash', 10_000)
  } finally {
    await browser.close()
  }
}, 40_000)

test('the same without fetchLater: nothing arrives (the items wait in IndexedDB for the next visit)', async () => {
  server.ingest.reset()
  const browser = await launchChromium()
  try {
    const ids = await logThenCrash(browser, true)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(missing(server.ingest.events, ids)).toHaveLength(30)
  } finally {
    await browser.close()
  }
}, 40_000)
