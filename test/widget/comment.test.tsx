import { render } from 'preact'
import { describe, expect, test } from 'vitest'
import { Feedback, type FeedbackProps } from '../../src/widget/index.js'
import { flush, press, type, useWidgetDom, within } from './dom.js'

const dom = useWidgetDom()
const categories = [
  { id: 'wrong', label: 'Incorrect' },
  { id: 'slow', label: 'Too slow' },
]

async function mount(props: Partial<FeedbackProps> = {}) {
  render(<Feedback client={dom.fake.client} eventId="e1" categories={categories} {...props} />, dom.container)
  const w = within(dom.container.querySelector('pollen-feedback-host')!)
  await flush()
  return w
}
const feedbacks = () => dom.fake.calls.map((c) => c.feedback)


describe('the comment step', () => {
  test('opens on thumbs down with focus in the labelled comment box; chips show labels and send ids', async () => {
    const w = await mount()
    w.down().click()
    await flush()
    const box = w.textarea()!
    expect(w.root.activeElement).toBe(box)
    expect(w.one(`label[for="${box.id}"]`)!.textContent).toBe('Tell us more (optional)')
    expect(w.all('.chip').map((c) => c.textContent)).toEqual(['Incorrect', 'Too slow'])
    w.button('Too slow').click()
    w.button('Incorrect').click()
    await flush()
    expect(w.button('Incorrect').getAttribute('aria-pressed')).toBe('true')
    w.button('Too slow').click()
    await flush()
    expect(w.button('Too slow').getAttribute('aria-pressed')).toBe('false')
    type(box, '  Cites the wrong file.  ')
    await flush()
    w.button('Send').click()
    await flush(600)
    expect(feedbacks()).toEqual([{ rating: false, comment: 'Cites the wrong file.', categories: ['wrong'] }])
    expect(w.textarea()).toBeNull()
    expect(w.root.activeElement).toBe(w.down())
  })

  test('Enter sends, Shift+Enter does not, and an empty comment and no chips send only the rating', async () => {
    const w = await mount()
    w.down().click()
    await flush()
    type(w.textarea()!, 'line one')
    expect(press(w.textarea()!, 'Enter', { shiftKey: true })).toBe(false)
    await flush()
    expect(w.textarea()).not.toBeNull()
    type(w.textarea()!, '   ')
    expect(press(w.textarea()!, 'Enter')).toBe(true)
    await flush(600)
    expect(w.textarea()).toBeNull()
    expect(feedbacks()).toEqual([{ rating: false }])
  })

  test('Escape and Skip close the step, keep the vote, and return focus to the thumb', async () => {
    const w = await mount()
    w.down().click()
    await flush()
    type(w.textarea()!, 'never sent')
    expect(press(w.textarea()!, 'Escape')).toBe(true)
    await flush()
    expect(w.textarea()).toBeNull()
    expect(w.root.activeElement).toBe(w.down())
    w.up().click()
    await flush()
    w.down().click()
    await flush()
    w.button('Skip').click()
    await flush(600)
    expect(w.textarea()).toBeNull()
    expect(w.down().getAttribute('aria-pressed')).toBe('true')
    expect(feedbacks()).toEqual([{ rating: false }])
  })

  test("'never' has no step; 'always' follows thumbs up too, without chips", async () => {
    let w = await mount({ comment: 'never' })
    w.down().click()
    await flush()
    expect(w.textarea()).toBeNull()
    render(null, dom.container)
    w = await mount({ comment: 'always', eventId: 'e2' })
    w.up().click()
    await flush()
    expect(w.textarea()).not.toBeNull()
    expect(w.all('.chip')).toEqual([])
    type(w.textarea()!, 'Spot on')
    press(w.textarea()!, 'Enter')
    await flush(600)
    expect(dom.fake.calls.map((c) => [c.eventId, c.feedback])).toEqual([
      ['e1', { rating: false }],
      ['e2', { rating: true, comment: 'Spot on' }],
    ])
  })

  test('the counter shows length/max, is spoken through aria-describedby, and the box is capped', async () => {
    const w = await mount({ maxLength: 10 })
    w.down().click()
    await flush()
    const box = w.textarea()!
    expect(box.maxLength).toBe(10)
    const counter = w.root.getElementById(box.getAttribute('aria-describedby')!)!
    expect(counter.textContent).toBe('0/10' + '0 of 10 characters')
    type(box, 'abcd')
    await flush()
    expect(counter.querySelector('[aria-hidden=true]')!.textContent).toBe('4/10')
    expect(counter.querySelector('.sr')!.textContent).toBe('4 of 10 characters')
  })
})
