/**
 * The feedback widget in real Chromium, as a user ships it: a bundled app on a
 * page with a strict CSP and only `<pollen-feedback event-id="…">` in its HTML,
 * the proxy and a collector behind it.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { launchChromium, until } from '../support/page-server.js'
import { countDifferentPixels } from '../support/png.js'
import { startWidgetSite } from '../support/widget-site.js'

let site: Awaited<ReturnType<typeof startWidgetSite>>
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  ;[site, browser] = await Promise.all([startWidgetSite(), launchChromium()])
})
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})

interface Violation {
  directive: string
  blocked: string
}

/** Opens `page` (plain, hostile or showcase) for a new answer id in a fresh context; records CSP violations. */
async function open(options: { page?: 'plain' | 'hostile' | 'showcase'; id?: string; context?: BrowserContextOptions } = {}) {
  const context = await browser.newContext(options.context)
  contexts.push(context)
  const page = await context.newPage()
  await page.addInitScript(() => {
    const seen: Violation[] = ((window as any).violations = [])
    document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI }))
  })
  const id = options.id ?? randomUUID()
  await page.goto(`${site.url}/${options.page ?? 'plain'}.html?id=${id}`)
  await ready(page)
  return { context, page, id }
}

async function ready(page: Page) {
  await page.waitForFunction(() => (window as any).appReady === true)
  await page.getByRole('button', { name: 'Good response' }).first().waitFor()
}

const up = (page: Page) => page.getByRole('button', { name: 'Good response' })
const down = (page: Page) => page.getByRole('button', { name: 'Bad response' })
const status = (page: Page) => page.getByRole('status')
/** The focused element inside the widget's shadow root, described by role or tag and name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('pollen-feedback')?.shadowRoot?.activeElement as HTMLElement | null | undefined
    return active ? `${active.tagName.toLowerCase()}:${active.getAttribute('aria-label') ?? active.textContent?.trim() ?? ''}` : 'none'
  })

/** Waits until the collector holds feedback for `id`; returns the stored event. */
async function stored(id: string, check: (event: any) => boolean = (event) => event?.feedback !== undefined) {
  let event: any
  await until(async () => check((event = await site.event(id))), `the collector has the expected feedback for ${id}`)
  return event
}

test('a plain page with only <pollen-feedback> collects a rating that reaches the collector, under a strict CSP', async () => {
  const { page, id } = await open()
  await up(page).click()
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
  expect(await up(page).getAttribute('aria-pressed')).toBe('true')
  const event = await stored(id)
  expect(event.feedback).toEqual({ rating: true })
  expect(event.user_properties).toEqual({ user_id: 'u-42' })
  const violations: Violation[] = await page.evaluate(() => (window as any).violations)
  // None at all: the core checks with a data-driven contract, with no code generated at run time.
  expect(violations).toEqual([])
  expect(await page.evaluate(() => document.querySelector('pollen-feedback')!.shadowRoot!.querySelectorAll('[style]').length)).toBe(0)
})

test('the whole flow works by keyboard: thumbs down, a category, a comment, Enter sends, focus comes back', async () => {
  const { page, id } = await open()
  await page.keyboard.press('Tab')
  expect(await focused(page)).toBe('button:Good response')
  await page.keyboard.press('Tab')
  expect(await focused(page)).toBe('button:Bad response')
  await page.keyboard.press('Enter')
  // The comment step opens with focus in the comment box.
  await expect.poll(() => focused(page)).toMatch(/^textarea:/)
  // Back to the chips, pick "Wrong" with Space.
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  expect(await focused(page)).toBe('button:Wrong')
  await page.keyboard.press('Space')
  expect(await page.getByRole('button', { name: 'Wrong' }).getAttribute('aria-pressed')).toBe('true')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  expect(await focused(page)).toMatch(/^textarea:/)
  await page.keyboard.type('It cites the wrong file.')
  await page.keyboard.press('Shift+Enter')
  await page.keyboard.type('Line two.')
  await page.keyboard.press('Enter')
  expect(await focused(page)).toBe('button:Bad response')
  expect(await down(page).getAttribute('aria-pressed')).toBe('true')
  const event = await stored(id, (e) => e?.feedback?.comment !== undefined)
  expect(event.feedback).toEqual({ rating: false, comment: 'It cites the wrong file.\nLine two.', categories: ['wrong'] })
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
})

test('Escape skips the comment but keeps the vote', async () => {
  const { page, id } = await open()
  await down(page).click()
  await expect.poll(() => focused(page)).toMatch(/^textarea:/)
  await page.keyboard.press('Escape')
  expect(await focused(page)).toBe('button:Bad response')
  expect(await page.getByRole('textbox').count()).toBe(0)
  expect((await stored(id)).feedback).toEqual({ rating: false })
})

test('offline, the vote is queued and says so; back online it is saved', async () => {
  const { context, page, id } = await open()
  await context.setOffline(true)
  await up(page).click()
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Will send when online')
  await context.setOffline(false)
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
  expect((await stored(id)).feedback).toEqual({ rating: true })
})

test('a vote survives reload: a saved one, and one still queued that is then saved', async () => {
  const { page, id } = await open()
  await up(page).click()
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
  await page.reload()
  await ready(page)
  await expect.poll(() => up(page).getAttribute('aria-pressed')).toBe('true')
  expect(await status(page).textContent()).toBe('Thanks for your feedback')

  // The server is unreachable: the switched vote waits, and the page reloads while it does.
  await page.route('**/api/pollen', (route) => route.abort())
  await down(page).click()
  await page.keyboard.press('Escape')
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Not sent yet, will retry')
  await page.reload()
  await ready(page)
  await expect.poll(() => down(page).getAttribute('aria-pressed')).toBe('true')
  expect(await up(page).getAttribute('aria-pressed')).toBe('false')
  expect(await status(page).textContent()).not.toBe('Thanks for your feedback')
  await page.unroute('**/api/pollen')
  await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('Thanks for your feedback')
  expect((await stored(id, (e) => e?.feedback?.rating === false)).feedback).toEqual({ rating: false })
})

/** axe-core's checks over the page, shadow roots included. */
async function axe(page: Page) {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source })
  const result = await page.evaluate(() => (window as any).axe.run(document.querySelector('pollen-feedback'), { resultTypes: ['violations'] }))
  return (result.violations as { id: string; help: string; nodes: { target: unknown; failureSummary: string }[] }[]).map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
  }))
}

test.each(['light', 'dark'] as const)('axe-core finds no violations in each state (%s)', async (colorScheme) => {
  // axe is injected as a script: this context allows it past the page's CSP.
  const { page } = await open({ context: { bypassCSP: true, colorScheme } })
  expect(await axe(page)).toEqual([])
  await down(page).click()
  await page.getByRole('button', { name: 'Wrong' }).click()
  await page.getByRole('textbox').fill('Too long by half.')
  expect(await axe(page)).toEqual([])
  await page.getByRole('button', { name: 'Send' }).click()
  await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
  expect(await axe(page)).toEqual([])
})

test('inside a page with hostile global CSS the widget looks exactly the same', async () => {
  const shots: Buffer[] = []
  for (const name of ['plain', 'hostile'] as const) {
    const { page } = await open({ page: name })
    await down(page).click()
    await page.getByRole('button', { name: 'Wrong' }).click()
    await page.getByRole('textbox').fill('Same everywhere.')
    await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
    await page.mouse.move(0, 0)
    shots.push(await page.locator('pollen-feedback').screenshot({ animations: 'disabled', caret: 'hide' }))
  }
  // Same size, and no pixel off by more than a step of anti-aliasing on a rounded edge.
  expect(countDifferentPixels(shots[0]!, shots[1]!, 2)).toBe(0)
})

test('pressing the active thumb again takes the vote back: rating null at the collector', async () => {
  const { page, id } = await open()
  await up(page).click()
  await stored(id)
  await up(page).click()
  expect(await up(page).getAttribute('aria-pressed')).toBe('false')
  expect((await stored(id, (e) => e?.feedback?.rating === null)).feedback).toEqual({ rating: null })
})

/** Where the README's widget screenshots live. */
const SHOTS = new URL('./screenshots/', import.meta.url)

test.each(['light', 'dark'] as const)('README screenshot of the widget in a chat transcript (%s)', async (colorScheme) => {
  const { page } = await open({ page: 'showcase', context: { colorScheme, deviceScaleFactor: 2, viewport: { width: 500, height: 600 } } })
  const [first, second] = [page.locator('article').nth(0), page.locator('article').nth(1)]
  await first.getByRole('button', { name: 'Good response' }).click()
  await expect.poll(() => first.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Thanks for your feedback')
  await second.getByRole('button', { name: 'Bad response' }).click()
  await second.getByRole('button', { name: 'Outdated' }).click()
  await second.getByRole('textbox').fill('The budget is per page, not per beacon.')
  await page.mouse.move(0, 0)
  const shot = await page.locator('main').screenshot({ animations: 'disabled', caret: 'hide' })
  const file = new URL(`widget-${colorScheme}.png`, SHOTS)
  // The committed picture is what the widget must still look like: a change
  // fails here until someone looked at it and rewrote the file on purpose.
  if (!existsSync(file) || process.env.UPDATE_SCREENSHOTS) {
    mkdirSync(SHOTS, { recursive: true })
    writeFileSync(file, shot)
  }
  // Channels within 2 of each other count as the same: anti-aliasing noise, not a change.
  expect(countDifferentPixels(readFileSync(file), shot, 2), `the widget no longer looks like ${file.pathname}: rerun with UPDATE_SCREENSHOTS=1, look at the rewritten file and commit it if the change is meant`).toBe(0)
})
