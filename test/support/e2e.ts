/**
 * One page server and one Chromium per e2e file, started before its tests and
 * stopped after; the ingest is reset before each test.
 */
import type { Browser } from 'playwright'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { launchChromium, startPageServer } from './page-server.js'

export type PageServer = Awaited<ReturnType<typeof startPageServer>>

export interface E2e {
  readonly server: PageServer
  readonly browser: Browser
}

export function useE2e(options: { apiKey?: string } = {}): E2e {
  let server: PageServer | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startPageServer(options), launchChromium()])
  })
  // Tests close their pages or contexts and wait for what those sent before
  // this runs: browser.close() would drop beacons still queued.
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(() => server?.ingest.reset())
  return {
    get server() {
      return server!
    },
    get browser() {
      return browser!
    },
  }
}
