import { render } from 'preact'
import { describe, expect, test, vi } from 'vitest'
import { Feedback, type FeedbackProps } from '../../src/widget/index.js'
import { flush, press, type, useWidgetDom, within } from './dom.js'

const dom = useWidgetDom()

function mount(props: Partial<FeedbackProps> = {}) {
  render(<Feedback client={dom.fake.client} eventId="e1" {...props} />, dom.container)
  return within(dom.container.querySelector('pollen-feedback-host')!)
}


describe('<Feedback>', () => {
  test('renders in its own shadow root: a named group, two pressed-state buttons, a live region', async () => {
    const w = mount()
    await flush()
    expect(w.one('[role=group]')!.getAttribute('aria-label')).toBe('Was this response helpful?')
    for (const button of [w.up(), w.down()]) {
      expect(button.getAttribute('type')).toBe('button')
      expect(button.getAttribute('aria-pressed')).toBe('false')
      expect(button.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true')
    }
    expect(w.status().getAttribute('aria-live')).toBe('polite')
    expect(w.status().textContent).toBe('')
    expect(w.all('[style]')).toEqual([])
  })

  test('thumbs up: pressed at once, sending… once handed over, then saved', async () => {
    const onChange = vi.fn()
    const w = mount({ onChange, userProperties: { user_id: 'u-1' } })
    await flush()
    w.up().click()
    await flush()
    expect(w.up().getAttribute('aria-pressed')).toBe('true')
    expect(onChange).toHaveBeenCalledWith({ rating: true })
    expect(w.status().textContent).toBe('')
    await flush(600)
    expect(dom.fake.calls).toEqual([{ eventId: 'e1', feedback: { rating: true }, userProperties: { user_id: 'u-1' } }])
    expect(w.status().textContent).toBe('Sending…')
    dom.fake.push('r1', { state: 'queued', waiting: 'offline' })
    await flush()
    expect(w.status().textContent).toBe('Will send when online')
    dom.fake.push('r1', { state: 'queued', waiting: 'retry' })
    await flush()
    expect(w.status().textContent).toBe('Not sent yet, will retry')
    dom.fake.push('r1', { state: 'sent' })
    await flush()
    expect(w.status().textContent).toBe('Thanks for your feedback')
  })

  test('failed shows the reason; pressing the active thumb retracts; the other thumb switches', async () => {
    const w = mount({ comment: 'never' })
    await flush()
    w.down().click()
    await flush(600)
    dom.fake.push('r1', { state: 'dropped', reason: 'http-400: rejected' })
    await flush()
    expect(w.status().textContent).toBe('Not sent: http-400: rejected')
    expect(w.status().className).toContain('failed')
    w.up().click()
    await flush(600)
    expect(w.up().getAttribute('aria-pressed')).toBe('true')
    expect(w.down().getAttribute('aria-pressed')).toBe('false')
    w.up().click()
    await flush(600)
    expect(w.up().getAttribute('aria-pressed')).toBe('false')
    expect(dom.fake.calls.map((c) => c.feedback)).toEqual([{ rating: false }, { rating: true }, { rating: null }])
  })

  test('feedback() throwing shows failed with its message', async () => {
    dom.fake.throwOnFeedback(new Error('Invalid feedback: eventId must be a UUID'))
    const w = mount({ comment: 'never' })
    await flush()
    w.up().click()
    await flush(600)
    expect(w.status().textContent).toBe('Not sent: Invalid feedback: eventId must be a UUID')
  })

  test('a vote given while the event id is a pending Promise is sent once it resolves', async () => {
    let resolve!: (id: string) => void
    const id = new Promise<string>((r) => (resolve = r))
    const w = mount({ eventId: id })
    w.up().click()
    await flush(2000)
    expect(dom.fake.calls).toEqual([])
    expect(w.up().getAttribute('aria-pressed')).toBe('true')
    resolve('streamed')
    await flush()
    expect(dom.fake.calls.map((c) => [c.eventId, c.feedback])).toEqual([['streamed', { rating: true }]])
  })

  test('a vote is restored from records, and a restored queued one turns saved', async () => {
    dom.fake.records.set('vote:e1', { vote: { rating: false }, ref: 'r5', status: 'queued' })
    const w = mount()
    await flush()
    expect(w.down().getAttribute('aria-pressed')).toBe('true')
    expect(w.status().textContent).toBe('Sending…')
    dom.fake.push('r5', { state: 'sent' })
    await flush()
    expect(w.status().textContent).toBe('Thanks for your feedback')
    expect(w.textarea()).toBeNull()
  })

  test('a new eventId re-targets: the old vote is sent, the new event shows its own record', async () => {
    dom.fake.records.set('vote:e2', { vote: { rating: true }, ref: 'r8', status: 'saved' })
    let w = mount({ comment: 'never' })
    await flush()
    w.down().click()
    await flush()
    w = mount({ comment: 'never', eventId: 'e2' })
    await flush()
    expect(dom.fake.calls.map((c) => [c.eventId, c.feedback])).toEqual([['e1', { rating: false }]])
    expect(w.up().getAttribute('aria-pressed')).toBe('true')
    expect(w.down().getAttribute('aria-pressed')).toBe('false')
    expect(w.status().textContent).toBe('Thanks for your feedback')
  })

  test('compact size is a class on the root', async () => {
    const w = mount({ size: 'compact' })
    expect(w.one('.root')!.classList.contains('compact')).toBe(true)
  })

  test('unmounting ends tracking', async () => {
    const w = mount({ comment: 'never' })
    await flush()
    w.up().click()
    await flush(600)
    expect(dom.fake.tracking('r1')).toBe(1)
    render(null, dom.container)
    expect(dom.fake.tracking('r1')).toBe(0)
    expect(w.root.querySelector('button')).toBeNull()
  })
})
