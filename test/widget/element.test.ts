import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { defineFeedbackElement, type FeedbackElement, type Vote } from '../../src/widget/index.js'
import { flush, within } from './dom.js'
import { createFakeClient, type FakeClient } from './fake-client.js'

let fake: FakeClient
let tag: string
let count = 0

beforeEach(() => {
  vi.useFakeTimers()
  fake = createFakeClient()
  // Custom elements cannot be undefined: each test defines a tag of its own.
  tag = `pollen-feedback-t${++count}`
  defineFeedbackElement(fake.client, { tagName: tag, settleMs: 50 })
})
afterEach(() => {
  document.body.replaceChildren()
  vi.useRealTimers()
})

function create(html: string) {
  document.body.insertAdjacentHTML('beforeend', html.replaceAll('TAG', tag))
  return document.body.lastElementChild as FeedbackElement
}

test('defining twice is harmless; the default tag is pollen-feedback', () => {
  const first = customElements.get(tag)
  defineFeedbackElement(createFakeClient().client, { tagName: tag })
  expect(customElements.get(tag)).toBe(first)
  defineFeedbackElement(fake.client)
  expect(customElements.get('pollen-feedback')).toBeDefined()
})

test('attributes: event-id, comment, size, categories (JSON) and user-properties (JSON)', async () => {
  const el = create(
    `<TAG event-id="e1" comment="always" size="compact" categories='[{"id":"wrong","label":"Incorrect"}]' user-properties='{"plan":"pro"}'></TAG>`,
  )
  const w = within(el)
  await flush()
  expect(w.one('.root')!.classList.contains('compact')).toBe(true)
  w.down().click()
  await flush()
  expect(w.one('.chip')!.textContent).toBe('Incorrect')
  w.button('Incorrect').click()
  await flush()
  w.button('Send').click()
  await flush(50)
  expect(fake.calls).toEqual([{ eventId: 'e1', feedback: { rating: false, categories: ['wrong'] }, userProperties: { plan: 'pro' } }])
})

test('bad JSON in an attribute is ignored, not thrown', async () => {
  const el = create(`<TAG event-id="e1" categories="wrong:Incorrect" user-properties="{oops"></TAG>`)
  await flush()
  within(el).down().click()
  await flush()
  expect(within(el).all('.chip')).toEqual([])
})

test('changing event-id re-targets the element to that event and its stored vote', async () => {
  fake.records.set('vote:e2', { vote: { rating: true }, ref: 'r9', status: 'saved' })
  const el = create(`<TAG event-id="e1" comment="never"></TAG>`)
  const w = within(el)
  await flush()
  w.down().click()
  el.setAttribute('event-id', 'e2')
  await flush()
  expect(fake.calls.map((c) => c.eventId)).toEqual(['e1'])
  expect(w.up().getAttribute('aria-pressed')).toBe('true')
  expect(w.status().textContent).toBe('Thanks for your feedback')
})

test('properties: eventId, userProperties, categories, labels (even when set before the element was defined)', async () => {
  const early = document.createElement('pollen-feedback-early') as FeedbackElement
  early.labels = { up: 'Bien' }
  document.body.append(early)
  defineFeedbackElement(fake.client, { tagName: 'pollen-feedback-early', settleMs: 50 })
  early.eventId = 'e3'
  early.userProperties = { plan: 'team' }
  early.categories = [{ id: 'slow', label: 'Too slow' }]
  const w = within(early)
  await flush()
  w.button('Bien').click()
  await flush(50)
  expect(fake.calls).toEqual([{ eventId: 'e3', feedback: { rating: true }, userProperties: { plan: 'team' } }])
  w.down().click()
  await flush()
  expect(w.one('.chip')!.textContent).toBe('Too slow')
})

test('each vote dispatches a bubbling, composed pollen-feedback-change event', async () => {
  const details: (Vote | null)[] = []
  const events: Event[] = []
  document.addEventListener('pollen-feedback-change', (e) => {
    events.push(e)
    details.push((e as CustomEvent<Vote | null>).detail)
  })
  const el = create(`<TAG event-id="e1" comment="never"></TAG>`)
  await flush()
  within(el).up().click()
  within(el).up().click()
  expect(details).toEqual([{ rating: true }, null])
  expect(events[0]).toMatchObject({ bubbles: true, composed: true, target: el })
})

test('removing the element unmounts the widget and stops tracking', async () => {
  const el = create(`<TAG event-id="e1" comment="never"></TAG>`)
  const w = within(el)
  await flush()
  w.up().click()
  await flush(50)
  expect(fake.tracking('r1')).toBe(1)
  el.remove()
  expect(fake.tracking('r1')).toBe(0)
  expect(w.root.querySelector('.root')).toBeNull()
})

test('JSON-valued properties take the value or its JSON text (React 19 sets the property to the attribute text)', async () => {
  const el = create(`<TAG event-id="e1"></TAG>`)
  el.categories = JSON.stringify([{ id: 'slow', label: 'Too slow' }]) as never
  el.userProperties = '{"plan":"team"}' as never
  await flush()
  within(el).down().click()
  await flush()
  expect(within(el).one('.chip')!.textContent).toBe('Too slow')
  within(el).button('Too slow').click()
  await flush()
  within(el).button('Send').click()
  await flush(50)
  expect(fake.calls).toEqual([{ eventId: 'e1', feedback: { rating: false, categories: ['slow'] }, userProperties: { plan: 'team' } }])
})

test.each([
  ['categories', '"abc"'],
  ['categories', '[null,5]'],
  ['categories', '{"length":3}'],
  ['categories', '[{"id":1,"label":"x"}]'],
  ['user-properties', '"str"'],
  ['user-properties', '[1,2]'],
])('a hostile %s value %s is ignored with one warning; thumbs down still opens the comment step', async (attribute, value) => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  const errors: unknown[] = []
  const onError = (event: ErrorEvent) => errors.push(event.error)
  window.addEventListener('error', onError)
  try {
    const el = create(`<TAG event-id="e1" comment="on-down"></TAG>`)
    el.setAttribute(attribute, value)
    await flush()
    within(el).down().click()
    await flush()
    expect(within(el).all('.chip')).toEqual([])
    expect(within(el).one('textarea')).toBeTruthy()
    within(el).button('Send').click()
    await flush(50)
    expect(fake.calls).toEqual([{ eventId: 'e1', feedback: { rating: false }, userProperties: undefined }])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toMatch(attribute === 'categories' ? /categories: expected an array/ : /userProperties: expected an object/)
    expect(errors).toEqual([])
  } finally {
    window.removeEventListener('error', onError)
    warn.mockRestore()
  }
})

test('a comment longer than maxLength, set by script or autofill, is cut to maxLength on send', async () => {
  const el = create(`<TAG event-id="e1"></TAG>`)
  await flush()
  within(el).down().click()
  await flush()
  const box = within(el).one('textarea') as HTMLTextAreaElement
  box.value = 'x'.repeat(1_000_000)
  within(el).button('Send').click()
  await flush(50)
  expect((fake.calls[0]!.feedback.comment as string).length).toBe(2000)
})
