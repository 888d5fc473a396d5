/**
 * What the tests of the README's Deploy recipes share: the post a page makes
 * to the proxy, a server on a free port, and a look at what the collector stored.
 */
import { once } from 'node:events'
import type { AddressInfo, Server } from 'node:net'
import { afterAll, beforeAll, vi } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import seed from '../fixtures/seed-event.json'
import { hh } from './servers.js'

/** The seed event with fresh ids and times, as a page logs it. */
export function browserEvent(patch: Record<string, unknown> = {}) {
  const now = Date.now()
  return { ...seed, event_id: crypto.randomUUID(), start_time: now, end_time: now + 1000, ...patch }
}

/**
 * What `fetch` in the page sends: POST, a text/plain body (so no preflight) and
 * the page's Origin. Browsers also send `Sec-Fetch-Site`; pass it in `headers`
 * where a test needs it, since Node's fetch does not.
 */
export function browserPost(origin: string, events: unknown[], headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin, ...headers },
    body: JSON.stringify({ events }),
    // No test may hang on an answer that never comes.
    signal: AbortSignal.timeout(5000),
  }
}

/** The events of project Simple RAG the collector stored under `eventId`. */
export async function stored(collectorUrl: string, eventId: string): Promise<Record<string, unknown>[]> {
  const { status, json } = await hh(collectorUrl, 'POST', '/events/export', {
    project: 'Simple RAG',
    filters: [{ field: 'event_id', operator: 'is', value: eventId }],
  })
  if (status !== 200) throw new Error(`export answered ${status}: ${JSON.stringify(json)}`)
  return json.events
}

/** Waits until `server` (node:http or node:https, already told to listen on port 0) listens; its port and a close that ends every connection. */
export async function listening(server: Server & { closeAllConnections(): void }) {
  if (!server.listening) await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * A collector on a free port for the tests of one file, with `HH_API_KEY` set
 * as the recipes read it; started before them and closed after.
 */
export function useCollector(): { readonly url: string } {
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined
  beforeAll(async () => {
    collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
    vi.stubEnv('HH_API_KEY', 'test-key')
  })
  afterAll(async () => {
    vi.unstubAllEnvs()
    await collector?.close()
  })
  return {
    get url() {
      return collector!.url
    },
  }
}
