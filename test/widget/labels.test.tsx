import { render } from 'preact'
import { expect, test } from 'vitest'
import { Feedback, type FeedbackLabels } from '../../src/widget/index.js'
import { defaultLabels } from '../../src/widget/labels.js'
import { flush, useWidgetDom, within } from './dom.js'

const dom = useWidgetDom()


/** Every text node and every spoken or shown attribute in the shadow root. */
function strings(root: ShadowRoot): string[] {
  const found: string[] = []
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.parentElement?.localName !== 'style' && node.textContent!.trim()) found.push(node.textContent!)
      continue
    }
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = (node as Element).getAttribute(name)
      if (value) found.push(value)
    }
  }
  return found
}

test('labels override every string the widget shows or speaks', async () => {
  const labels = Object.fromEntries(Object.keys(defaultLabels).map((key) => [key, `«${key}»`])) as Record<keyof FeedbackLabels, string>
  labels.failed = '«failed {reason}»'
  labels.count = '«count {n} {max}»'
  dom.fake.throwOnFeedback(new Error('boom'))
  render(<Feedback client={dom.fake.client} eventId="e1" labels={labels} categories={[{ id: 'c', label: '«chip»' }]} />, dom.container)
  const w = within(dom.container.querySelector('pollen-feedback-host')!)
  await flush()
  w.button('«down»').click()
  await flush(600)
  const seen = strings(w.root)
  // Numbers (the visible counter) are the only text that is not a label.
  const words = seen.filter((s) => !/^[\d/]+$/.test(s))
  expect(words.every((s) => s.startsWith('«'))).toBe(true)
  expect(new Set(words)).toEqual(
    new Set(['«prompt»', '«up»', '«down»', '«failed boom»', '«categories»', '«chip»', '«comment»', '«placeholder»', '«skip»', '«send»', '«count 0 2000»']),
  )
})

// The four status labels the test above cannot show at once.
test('statuses use their labels: sending, offline, retry, saved', async () => {
  const labels = { sending: 'S', offline: 'O', retry: 'R', saved: 'D' }
  render(<Feedback client={dom.fake.client} eventId="e1" labels={labels} comment="never" />, dom.container)
  const w = within(dom.container.querySelector('pollen-feedback-host')!)
  await flush()
  w.up().click()
  await flush(600)
  const seen = [w.status().textContent]
  for (const waiting of ['offline', 'retry'] as const) {
    dom.fake.push('r1', { state: 'queued', waiting })
    await flush()
    seen.push(w.status().textContent)
  }
  dom.fake.push('r1', { state: 'sent' })
  await flush()
  seen.push(w.status().textContent)
  expect(seen).toEqual(['S', 'O', 'R', 'D'])
})

test('labels, category labels and failure reasons are rendered as text, never as HTML', async () => {
  const evil = '<img src=x onerror="window.pwned=1">'
  dom.fake.throwOnFeedback(new Error(evil))
  render(<Feedback client={dom.fake.client} eventId="e1" labels={{ prompt: evil, categories: evil }} categories={[{ id: 'x', label: evil }]} />, dom.container)
  const w = within(dom.container.querySelector('pollen-feedback-host')!)
  await flush()
  w.down().click()
  await flush(600)
  expect(w.all('img')).toEqual([])
  expect(w.one('[role=group]')!.getAttribute('aria-label')).toBe(evil)
  expect(w.one('.chip')!.textContent).toBe(evil)
  expect(w.one('.heading')!.textContent).toBe(evil)
  expect(w.status().textContent).toBe(`Not sent: ${evil}`)
})
