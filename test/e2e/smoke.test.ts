import { expect, test } from 'vitest'
import { useE2e } from '../support/e2e.js'
import { openTestPage, until } from '../support/page-server.js'

const e2e = useE2e()

test('smoke: an event logged in Chromium reaches the ingest', async () => {
  const { server, browser } = e2e
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
