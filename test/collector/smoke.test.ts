// @vitest-environment node
import { afterAll, beforeAll, expect, test } from 'vitest'
import seed from '../fixtures/seed-event.json'
import { hh, startStack } from '../support/servers.js'

let stack: Awaited<ReturnType<typeof startStack>>
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

test('seed through proxy into collector and out of export', async () => {
  const envelope = { sessions: [{ project: 'Simple RAG', session_name: 's', source: 'playground', session_id: seed.session_id }], events: [seed] }
  const r = await fetch(stack.proxy.url + '/api/pollen', { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(envelope) })
  expect(r.status).toBe(200)
  expect(await r.json()).toEqual({ accepted: [seed.session_id, seed.event_id], kinds: ['session', 'event'], rejected: [], supports: ['seq', 'gzip'] })
  const out = await hh(stack.collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_type', operator: 'is', value: 'model', type: 'string' }] })
  expect(out.json).toEqual({ events: [seed], totalEvents: 1 })
  expect((await hh(stack.collector.url, 'GET', '/stats')).json).toEqual({ received: 2, stored: 2, duplicates: 0, updates: 0 })
})
