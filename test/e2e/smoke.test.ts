import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser } from 'playwright'
import { launchChromium, openTestPage, startPageServer, until } from '../support/page-server.js'

let server: Awaited<ReturnType<typeof startPageServer>>
let browser: Browser
beforeAll(async () => {
  server = await startPageServer()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

test('smoke: an event logged in Chromium reaches the ingest', async () => {
  const page = await browser.newPage()
  await openTestPage(page, server.url)
  const id = await page.evaluate(async () => {
    const { createClient } = (window as any).pollen
    const hh = createClient({ project: 'Simple RAG', endpoint: '/api/pollen' })
    const id = hh.log({ event_name: 'x', event_type: 'model' })
    await hh.flush()
    return id
  })
  await until(() => server.ingest.events.has(id), 'event arrives')
  expect(server.ingest.sessions.size).toBe(1)
  await page.close()
})
