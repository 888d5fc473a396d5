import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { mountFeedback } from '../../src/widget/index.js'
import { css } from '../../src/widget/styles.js'
import { flush, within } from './dom.js'
import { createFakeClient, type FakeClient } from './fake-client.js'

let fake: FakeClient
let element: HTMLElement

beforeEach(() => {
  vi.useFakeTimers()
  fake = createFakeClient()
  element = document.body.appendChild(document.createElement('div'))
})
afterEach(() => {
  element.remove()
  vi.useRealTimers()
})

/** The widget's CSS in `root`: an adopted sheet, or the fallback <style>. */
function styles(root: ShadowRoot) {
  const adopted = root.adoptedStyleSheets ?? []
  return { adopted, fallback: [...root.querySelectorAll('style')].map((s) => s.textContent) }
}

test('mountFeedback renders into an open shadow root and its unmount removes it and stops tracking', async () => {
  const unmount = mountFeedback(element, { client: fake.client, eventId: 'e1', comment: 'never' })
  expect(element.shadowRoot?.mode).toBe('open')
  expect(element.childNodes).toHaveLength(0)
  const w = within(element)
  await flush()
  w.up().click()
  await flush(600)
  expect(fake.calls.map((c) => c.feedback)).toEqual([{ rating: true }])
  expect(fake.tracking('r1')).toBe(1)
  unmount()
  expect(fake.tracking('r1')).toBe(0)
  expect(w.root.querySelector('.root')).toBeNull()
})

test('mountFeedback reuses an existing shadow root, and a second call updates the props', async () => {
  const root = element.attachShadow({ mode: 'open' })
  mountFeedback(element, { client: fake.client, eventId: 'e1' })
  const unmount = mountFeedback(element, { client: fake.client, eventId: 'e1', size: 'compact' })
  expect(element.shadowRoot).toBe(root)
  expect(root.querySelectorAll('.root')).toHaveLength(1)
  expect(root.querySelector('.root')!.classList.contains('compact')).toBe(true)
  unmount()
})

test('the stylesheet is adopted once per document (or a <style> where that is unsupported), never inline', () => {
  const other = document.body.appendChild(document.createElement('div'))
  mountFeedback(element, { client: fake.client, eventId: 'e1' })
  mountFeedback(other, { client: fake.client, eventId: 'e2' })
  const [a, b] = [styles(element.shadowRoot!), styles(other.shadowRoot!)]
  if (a.adopted.length > 0) {
    expect(a.adopted).toHaveLength(1)
    expect(b.adopted[0]).toBe(a.adopted[0])
    expect(a.fallback).toEqual([])
  } else {
    expect(a.fallback).toEqual([css])
  }
  expect(css).toMatch(/@media \(prefers-color-scheme:dark\)/)
  for (const name of ['accent', 'radius', 'font', 'fg', 'bg', 'muted', 'border', 'danger', 'focus', 'gap']) expect(css).toContain(`--pollen-${name}`)
  expect(css).not.toMatch(/\drem/)
  expect(element.shadowRoot!.querySelectorAll('[style]')).toHaveLength(0)
  other.remove()
})
