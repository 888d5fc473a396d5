import { expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright'
import { useE2e } from '../support/e2e.js'
import { TEST_PAGE, until } from '../support/page-server.js'
import { eventIdsIn, isBeacon, logEvents, missing, openClientPage } from '../support/pollen-page.js'

const e2e = useE2e()

// No timer and no full batch will send before the page goes: only the unload path can.
const options = (project: string) => ({ project, endpoint: '/api/pollen', flushInterval: 60_000, batchSize: 1000 })

/** Logs, lets `leave` end the page, then checks that every event came by beacon. */
async function logThenLeave(project: string, leave: (page: Page, context: BrowserContext) => Promise<unknown>) {
  const { server, browser } = e2e
  const context = await browser.newContext()
  const page = await openClientPage(context, server.url, options(project))
  const ids = await logEvents(page, 25, { name: project })
  expect(server.ingest.requests).toHaveLength(0)
  await leave(page, context)

  await until(() => missing(server.ingest.events, ids).length === 0, `every event logged before the page went arrives (${project})`)
  const carriers = server.ingest.requests.filter((request) => eventIdsIn(request).length > 0)
  expect(carriers.length).toBeGreaterThan(0)
  expect(carriers.every(isBeacon)).toBe(true)
  expect(carriers.every((request) => request.headers['content-type'] === 'text/plain;charset=UTF-8')).toBe(true)
  expect(new Set(carriers.flatMap(eventIdsIn))).toEqual(new Set(ids))
  expect(server.ingest.sessions.size).toBe(1)
  return context
}

test('events logged right before page.close() arrive by beacon', async () => {
  const context = await logThenLeave('close-page', (page) => page.close({ runBeforeUnload: false }))
  await context.close()
})

test('events logged right before a navigation arrive by beacon', async () => {
  const context = await logThenLeave('navigate-away', (page) => page.goto(`${e2e.server.url}${TEST_PAGE}?next`))
  await context.close()
})

test('events logged right before the browser context closes arrive by beacon', async () => {
  await logThenLeave('close-context', (_page, context) => context.close())
})
