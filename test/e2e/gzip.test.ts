/**
 * Gzip bodies in real Chromium, through the real proxy to the collector: the
 * client sends plain JSON until an answer says the proxy reads gzip, then
 * compresses its envelopes with CompressionStream, and every event is stored.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import seed from '../fixtures/seed-event.json'
import { bundleApp } from '../support/bundle-app.js'
import { launchChromium } from '../support/page-server.js'
import { hh } from '../support/servers.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let site: Server
let browser: Browser
/** Whether each body the proxy got was gzip (its first two bytes), its length, and whether a beacon sent it. */
const bodies: { gzip: boolean; bytes: number; beacon: boolean }[] = []

beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  const proxy = toNodeListener(createProxyHandler({ apiKey: 'test-key', project: 'Simple RAG', upstream: collector.url, rateLimit: false, log: () => undefined }))
  const app = await bundleApp(new URL('./fixtures/gzip-app.ts', import.meta.url).pathname)
  site = createServer((req: IncomingMessage, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(app)
    if (req.url !== '/api/pollen') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>')
    // Peek at the body as it streams to the proxy, without consuming it for the proxy.
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      // sendBeacon's requests are the only no-cors ones here.
      bodies.push({ gzip: body[0] === 0x1f && body[1] === 0x8b, bytes: body.length, beacon: req.headers['sec-fetch-mode'] === 'no-cors' })
    })
    proxy(req, res)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await collector?.close()
})

test('envelopes go gzip once the proxy said it reads them, and every event is stored', async () => {
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`)
  await page.waitForFunction(() => (window as any).appReady === true)
  const batch = () => Array.from({ length: 20 }, () => ({ ...seed, event_id: undefined, session_id: undefined, parent_id: undefined }))
  const ids: string[] = []
  for (let round = 0; round < 3; round++) {
    ids.push(...(await page.evaluate((events) => (window as any).app.log(events), batch())))
    await page.evaluate(() => (window as any).app.flush())
  }
  expect(await page.evaluate(() => (window as any).app.stats().pending)).toBe(0)
  // The first envelope is plain (no answer yet); those after the first answer are gzip, and smaller.
  expect(bodies[0]!.gzip).toBe(false)
  const later = bodies.slice(1)
  expect(later.length).toBeGreaterThan(0)
  expect(later.every((body) => body.gzip)).toBe(true)
  expect(Math.max(...later.map((body) => body.bytes))).toBeLessThan(bodies[0]!.bytes / 4)
  const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_type', operator: 'is', value: 'model' }], limit: 1000 })
  const stored = new Set(json.events.map((event: { event_id: string }) => event.event_id))
  expect(ids.filter((id) => !stored.has(id))).toEqual([])
  await page.close()
})

test('a page closed before its first answer sends gzipped beacons when an earlier page learned the proxy reads gzip; the proxy stores them', async () => {
  const context = await browser.newContext()
  const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`
  const earlier = await context.newPage()
  await earlier.goto(url)
  await earlier.waitForFunction(() => (window as any).appReady === true)
  await earlier.evaluate(async (event) => {
    ;(window as any).app.log([event])
    await (window as any).app.flush()
  }, { ...seed, event_id: undefined, session_id: undefined, parent_id: undefined })
  await earlier.close()

  const page = await context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => (window as any).appReady === true)
  const before = bodies.length
  // 120 seed events are 186 kB of JSON: plain, the 64 KiB budget holds about 40.
  const events = Array.from({ length: 120 }, (_, i) => ({ ...seed, event_id: undefined, session_id: undefined, parent_id: undefined, metadata: { turn: i } }))
  const ids: string[] = await page.evaluate((events) => (window as any).app.log(events), events)
  await page.close({ runBeforeUnload: false })
  await new Promise((resolve) => setTimeout(resolve, 1500))

  const beacons = bodies.slice(before)
  expect(beacons.length).toBeGreaterThan(0)
  expect(beacons.every((body) => body.beacon)).toBe(true)
  expect(beacons.every((body) => body.gzip)).toBe(true)
  expect(beacons.reduce((total, body) => total + body.bytes, 0)).toBeLessThanOrEqual(64 * 1024)
  const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_type', operator: 'is', value: 'model' }], limit: 1000 })
  const stored = new Set(json.events.map((event: { event_id: string }) => event.event_id))
  // Seed events gzip to well under a tenth: far more than plain JSON's 40 fit.
  expect(ids.filter((id) => stored.has(id)).length).toBeGreaterThanOrEqual(100)
  await context.close()
})
