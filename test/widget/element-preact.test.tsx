/**
 * `<pollen-feedback>` rendered by Preact from the JSX that test/widget/jsx/
 * type-checks: the typed `onpollen-feedback-change` prop is a listener of the
 * element's change event at run time, and `categories` given as an array (a
 * property, as Preact sets it on a defined element) reaches the widget.
 */
import { render } from 'preact'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { defineFeedbackElement, type FeedbackElement, type Vote } from '../../src/widget/index.js'
import { flush, within } from './dom.js'
import { createFakeClient } from './fake-client.js'

const fake = createFakeClient()
defineFeedbackElement(fake.client)
const host = document.body.appendChild(document.createElement('div'))
beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  render(null, host)
  vi.useRealTimers()
})

test('Preact: onpollen-feedback-change hears each vote, categories as an array shows its chips', async () => {
  const details: (Vote | null)[] = []
  render(
    <pollen-feedback
      event-id="e1"
      comment="on-down"
      categories={[{ id: 'slow', label: 'Too slow' }]}
      onpollen-feedback-change={(event: CustomEvent<Vote | null>) => details.push(event.detail)}
    />,
    host,
  )
  const el = host.querySelector('pollen-feedback') as FeedbackElement
  await flush()
  within(el).up().click()
  await flush()
  expect(details).toEqual([{ rating: true }])
  within(el).down().click()
  await flush()
  expect(details).toEqual([{ rating: true }, { rating: false }])
  expect(within(el).one('.chip')!.textContent).toBe('Too slow')
})
