// @vitest-environment node
import { expect, test } from 'vitest'
import { bundleSize } from '../support/bundle-size.js'

/** The budget for Preact (with preact/hooks) + widget, bundled and minified; 1 kB = 1,000 B. */
const WIDGET_BUDGET = 11_000

test('pollen/widget, with Preact bundled in, stays within 11 kB min+gzip', async () => {
  const size = await bundleSize(`export { Feedback, mountFeedback, defineFeedbackElement } from 'pollen/widget'`)
  // Preact is really inside (not left external): its diff is in the bundle.
  expect(size.code).toContain('__v')
  expect(size.gzip).toBeLessThanOrEqual(WIDGET_BUDGET)
}, 60_000)

test('the core entry never pulls in Preact', async () => {
  const core = await bundleSize(`export * from 'pollen'`)
  const preact = await bundleSize(`export { h, render } from 'preact'; export { signal } from '@preact/signals'`)
  // Markers of Preact's and signals' runtime that survive minification: a vnode property, the signals brand.
  expect(preact.code).toContain('__v')
  expect(preact.code).toContain('preact-signals')
  expect(core.code).not.toContain('__v')
  expect(core.code).not.toMatch(/preact/i)
}, 60_000)
