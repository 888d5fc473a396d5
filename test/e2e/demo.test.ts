/**
 * The demo as a new user meets it: what `npm start` serves (started here on a
 * free port), driven in real Chromium. Two questions, one answer rated up and
 * one down with a category and a comment, a reload; then the collector's view.
 */
import { existsSync, writeFileSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDemoServer } from '../support/demo-server.js'
import { launchChromium, until } from '../support/page-server.js'

let demo: Awaited<ReturnType<typeof startDemoServer>>
let browser: Browser

beforeAll(async () => {
  ;[demo, browser] = await Promise.all([startDemoServer(), launchChromium()])
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await demo?.close()
})

const QUESTIONS = ['What happens to my events when the tab closes?', 'Why does the API key stay on the server?']

const answers = (page: Page) => page.getByRole('article', { name: 'Answer' })
const thumb = (answer: Locator, name: 'Good response' | 'Bad response') => answer.getByRole('button', { name })

/** Asks a question with the keyboard and waits until its answer has finished streaming (the widget is there). */
async function ask(page: Page, question: string, index: number) {
  const box = page.getByRole('textbox', { name: 'Your question' })
  await box.fill(question)
  await box.press('Enter')
  await thumb(answers(page).nth(index), 'Good response').waitFor({ timeout: 30_000 })
}

test('two questions, two ratings, a reload: the collector holds the turns with their parents and the merged feedback', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(demo.url)
  await ask(page, QUESTIONS[0]!, 0)
  await ask(page, QUESTIONS[1]!, 1)

  const [first, second] = [answers(page).nth(0), answers(page).nth(1)]
  await thumb(first, 'Good response').click()
  await thumb(second, 'Bad response').click()
  await second.getByRole('button', { name: 'Unclear' }).click()
  await second.getByRole('textbox').fill('Say where the key is kept.')
  await second.getByRole('button', { name: 'Send', exact: true }).click()
  for (const answer of [first, second]) {
    await expect.poll(() => answer.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Thanks for your feedback')
  }

  await page.reload()
  await thumb(answers(page).nth(1), 'Good response').waitFor()
  // The chat and the votes come back: the widgets restore them from the client's records.
  expect(await answers(page).count()).toBe(2)
  await expect.poll(() => thumb(answers(page).nth(0), 'Good response').getAttribute('aria-pressed')).toBe('true')
  await expect.poll(() => thumb(answers(page).nth(1), 'Bad response').getAttribute('aria-pressed')).toBe('true')
  expect(await thumb(answers(page).nth(1), 'Good response').getAttribute('aria-pressed')).toBe('false')

  let events: any[] = []
  await until(async () => {
    events = await demo.events()
    return events.filter((e) => e.event_type === 'model' && e.feedback?.rating !== undefined).length === 2
  }, 'both ratings reach the collector')
  const of = (type: string) => events.filter((e) => e.event_type === type)
  const [session] = of('session')
  expect(of('session')).toHaveLength(1)
  expect(of('chain')).toHaveLength(2)
  expect(of('tool')).toHaveLength(2)
  expect(of('model')).toHaveLength(2)
  const chainIds = of('chain').map((e) => e.event_id)
  for (const chain of of('chain')) expect(chain.parent_id).toBe(session.event_id)
  for (const child of [...of('tool'), ...of('model')]) expect(chainIds).toContain(child.parent_id)
  for (const event of events) expect(event).toMatchObject({ project: 'Simple RAG', source: 'demo', session_id: session.event_id })

  const model = (question: string) => of('model').find((e) => e.inputs.question === question)
  for (const question of QUESTIONS) {
    const event = model(question)
    expect(event, question).toBeDefined()
    expect(event.config).toMatchObject({ model: expect.any(String), provider: expect.any(String), hyperparameters: expect.any(Object), template: expect.any(Array) })
    expect(event.inputs).toMatchObject({ context: expect.any(String), question, chat_history: expect.any(Array) })
    expect(event.outputs).toMatchObject({ role: 'assistant', content: expect.any(String) })
    expect(event.outputs.content.length).toBeGreaterThan(20)
    expect(event.metadata).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) })
    expect(event.duration).toBeGreaterThan(0)
    expect(event.user_properties.user_id).toMatch(/^demo-user-/)
    // Retrieval is a sibling under the same turn.
    expect(of('tool').some((tool) => tool.parent_id === event.parent_id)).toBe(true)
  }
  expect(model(QUESTIONS[0]!).feedback).toEqual({ rating: true })
  expect(model(QUESTIONS[1]!).feedback).toEqual({ rating: false, comment: 'Say where the key is kept.', categories: ['unclear'] })
  // The second question carried the first turn in its chat history.
  expect(JSON.stringify(model(QUESTIONS[1]!).inputs.chat_history)).toContain(QUESTIONS[0])
  expect(errors).toEqual([])

  // The README's screenshot. Ids, counters and times differ from run to run, so
  // it is written when missing or when asked (UPDATE_SCREENSHOTS=1), not each run.
  const file = new URL('./screenshots/demo.png', import.meta.url)
  if (!existsSync(file) || process.env.UPDATE_SCREENSHOTS) {
    await page.mouse.move(0, 0)
    writeFileSync(file, await page.screenshot({ animations: 'disabled', caret: 'hide' }))
  }
  await context.close()
}, 120_000)
