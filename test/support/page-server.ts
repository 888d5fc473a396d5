/**
 * Serves the repository with Vite (so pages can import `/src/index.ts`) and
 * mounts a test ingest on the same origin. Plus a Chromium launcher.
 */
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright'
import { createServer } from 'vite'
import { CHROMIUM_ARGS, requireChromium } from './chromium.js'
import { createIngest, type Ingest } from './ingest.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The page that exposes the library as `window.pollen`. */
export const TEST_PAGE = '/test/e2e/fixtures/page.html'

export async function startPageServer(options: { apiKey?: string } = {}) {
  const ingest: Ingest = createIngest(options)
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: { noDiscovery: true, include: ['zod/mini'] },
    plugins: [{ name: 'pollen:test-ingest', configureServer: (s) => void s.middlewares.use(ingest.middleware) }],
  })
  await server.listen()
  const { port } = server.httpServer!.address() as AddressInfo
  return { ingest, url: `http://127.0.0.1:${port}`, close: () => server.close() }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
}

/** Opens the test page and waits until `window.pollen` is there. */
export async function openTestPage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl + TEST_PAGE)
  await page.waitForFunction(() => (window as unknown as { pollenReady?: boolean }).pollenReady === true)
}

/** Waits until `predicate` holds, polling; fails with `message` after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, message: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`Timed out: ${message}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
