/**
 * `<pollen-feedback>` inside a real React 19 app in real Chromium: the app is
 * bundled as a user's bundler would (test/e2e/fixtures/react-app.tsx), votes go
 * through the proxy into a collector. JSX attributes reach the element, a new
 * `event-id` re-targets the vote, `onpollen-feedback-change` is called, and
 * unmounting removes the element and ends its subscriptions, with no error.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import { bundleApp } from '../support/bundle-app.js'
import { launchChromium, until } from '../support/page-server.js'
import { hh } from '../support/servers.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let site: Server
let browser: Browser
let page: Page
/** Console errors and uncaught exceptions of the page. */
const problems: string[] = []

beforeAll(async () => {
  const [app, started] = await Promise.all([
    bundleApp(new URL('./fixtures/react-app.tsx', import.meta.url).pathname),
    startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' }),
  ])
  collector = started
  const proxy = toNodeListener(createProxyHandler({ apiKey: 'test-key', project: 'React test', upstream: collector.url, rateLimit: false, log: () => undefined }))
  site = createServer((req, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(app)
    if (req.url === '/api/pollen') return proxy(req, res)
    // bundleApp builds in library mode, which leaves React's `process.env.NODE_ENV` to an app's bundler, and
    // compiles JSX to React's development runtime (Vite under Vitest is not in production): the page picks that one,
    // whose warnings are console errors the test would see.
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>React</title><script>globalThis.process = { env: { NODE_ENV: 'development' } }</script><script type="module" src="/app.js"></script>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
  page.on('pageerror', (error) => problems.push(String(error)))
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`)
  await page.waitForFunction(() => (window as any).appReady === true, null, { timeout: 10_000 }).catch((error) => {
    throw new Error(`the React app did not start: ${problems.join('; ') || error}`)
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await collector?.close()
})

const render = (answers: { key: string; eventId: string }[]) => page.evaluate((a) => (window as any).app.render(a), answers)
/** Each element's `event-id` attribute, `eventId` property, and whether its shadow root shows the thumbs. */
const elements = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('pollen-feedback')].map((element) => ({
      attribute: element.getAttribute('event-id'),
      eventId: element.eventId,
      categories: element.categories,
      thumbs: element.shadowRoot?.querySelectorAll('button[aria-pressed]').length ?? 0,
    })),
  )

/** The event as the collector stores it. */
async function stored(id: string): Promise<any> {
  const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'React test', filters: [{ field: 'event_id', operator: 'is', value: id }] })
  return json.events?.[0]
}

test('JSX attributes reach the element, a new event-id re-targets the vote, and unmounting cleans up', async () => {
  const [a, b, a2] = [randomUUID(), randomUUID(), randomUUID()]
  await render([{ key: 'a', eventId: a }, { key: 'b', eventId: b }])
  await page.getByRole('button', { name: 'Good response' }).nth(1).waitFor()
  const category = [{ id: 'wrong', label: 'Incorrect' }]
  expect(await elements()).toEqual([
    { attribute: a, eventId: a, categories: category, thumbs: 2 },
    { attribute: b, eventId: b, categories: category, thumbs: 2 },
  ])

  // Same key, new id: React updates the attribute of the same element, which re-targets its widget.
  await page.evaluate(() => ((window as any).first = document.querySelector('pollen-feedback')))
  await render([{ key: 'a', eventId: a2 }, { key: 'b', eventId: b }])
  expect(await page.evaluate(() => (window as any).first === document.querySelector('pollen-feedback'))).toBe(true)
  expect((await elements()).map((e) => e.eventId)).toEqual([a2, b])

  await page.getByRole('button', { name: 'Good response' }).first().click()
  await until(async () => (await stored(a2))?.feedback !== undefined, `the vote on ${a2} reaches the collector`)
  expect((await stored(a2)).feedback).toEqual({ rating: true })
  expect((await stored(a))?.feedback).toBeUndefined()
  expect(await page.evaluate(() => (window as any).app.changes)).toEqual([{ eventId: a2, vote: { rating: true } }])
  await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Thanks for your feedback')
  expect(await page.evaluate(() => (window as any).app.subscriptions())).toBeGreaterThan(0)

  await page.evaluate(() => (window as any).app.unmount())
  expect(await page.locator('pollen-feedback').count()).toBe(0)
  // The element React removed ran its disconnected callback: its shadow root is empty and its subscriptions ended.
  expect(await page.evaluate(() => (window as any).first.shadowRoot.childNodes.length)).toBe(0)
  expect(await page.evaluate(() => (window as any).app.subscriptions())).toBe(0)
  expect(problems).toEqual([])
})
