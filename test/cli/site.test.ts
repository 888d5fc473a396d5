// @vitest-environment node
/** `pollen-collector --static`: static files, the proxy and the collector on one server. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSite } from '../../src/cli/site.js'

const dir = mkdtempSync(join(tmpdir(), 'pollen-site-'))
let site: Awaited<ReturnType<typeof startSite>>
beforeAll(async () => {
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>')
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'export {}')
  writeFileSync(join(tmpdir(), 'outside-site.txt'), 'secret')
  site = await startSite({ dir, project: 'Simple RAG', port: 0, db: ':memory:' })
})
afterAll(() => site?.close())

test('serves the files: index.html at /, hashed assets cached for good, nothing outside the folder', async () => {
  const page = await fetch(`${site.url}/`)
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
  expect(await page.text()).toContain('<title>demo</title>')
  const asset = await fetch(`${site.url}/assets/app-1234.js?v=1`)
  expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  expect(asset.headers.get('cache-control')).toContain('immutable')
  expect((await fetch(`${site.url}/missing.js`)).status).toBe(404)
  for (const path of ['/../outside-site.txt', '/%2e%2e/outside-site.txt', '/assets/..%2f..%2foutside-site.txt']) {
    const response = await fetch(site.url + path)
    expect(response.status, path).toBe(404)
  }
})

test('an envelope posted to /api/pollen is stored by the collector at /honeyhive, under the forced project', async () => {
  const event = { project: 'Other', source: 'x', event_name: 'answer', event_type: 'model', config: {}, inputs: {}, duration: 1, event_id: crypto.randomUUID() }
  const sent = await fetch(`${site.url}/api/pollen`, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ events: [event] }) })
  expect(await sent.json()).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  const exported = await fetch(`${site.url}/honeyhive/events/export`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ project: 'Simple RAG' }) })
  expect(((await exported.json()) as { events: any[] }).events).toMatchObject([{ event_id: event.event_id, project: 'Simple RAG' }])
})
