/**
 * The element's DOM types come with `pollen/widget`: `querySelector` knows
 * `<pollen-feedback>`, and the change event's `detail` is the vote. `npm test`
 * type-checks this file (tsc -p .); the assertions hold at run time too.
 */
import { expect, test } from 'vitest'
import { defineFeedbackElement, type Vote } from '../../src/widget/index.js'
import { createFakeClient } from './fake-client.js'

test('querySelector(\'pollen-feedback\') is a FeedbackElement, and its change event carries the vote', () => {
  defineFeedbackElement(createFakeClient().client)
  document.body.innerHTML = '<pollen-feedback></pollen-feedback>'
  const element = document.querySelector('pollen-feedback')!
  // Typed: no cast needed for the element's own properties.
  element.eventId = 'e1'
  let detail: Vote | null | undefined
  element.addEventListener('pollen-feedback-change', (event) => (detail = event.detail))
  element.dispatchEvent(new CustomEvent('pollen-feedback-change', { detail: { rating: true } }))
  expect(element.eventId).toBe('e1')
  expect(detail).toEqual({ rating: true })
  document.body.replaceChildren()
})
