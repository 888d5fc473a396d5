import { render } from 'preact'
import { afterEach, beforeEach, vi } from 'vitest'
import { createFakeClient, type FakeClient } from './fake-client.js'

/** Lets Preact re-render and the fake client answer (fake timers are on in the widget's DOM tests). */
export const flush = (ms = 0) => vi.advanceTimersByTimeAsync(ms)

/** Queries the widget's shadow root under `host`. */
export function within(host: Element) {
  const root = host.shadowRoot!
  const all = <T extends Element = HTMLElement>(selector: string) => [...root.querySelectorAll<T>(selector)] as T[]
  const one = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector)
  /** The button whose accessible name (aria-label or text) is `name`. */
  const button = (name: string) => all<HTMLButtonElement>('button').find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name)!
  return {
    root,
    one,
    all,
    button,
    up: () => button('Good response'),
    down: () => button('Bad response'),
    status: () => one('[role=status]')!,
    textarea: () => one<HTMLTextAreaElement>('textarea'),
  }
}

/** Types `text` into `textarea` as a user would (value, then an input event). */
export function type(textarea: HTMLTextAreaElement, text: string) {
  textarea.value = text
  textarea.dispatchEvent(new Event('input', { bubbles: true }))
}

/** Presses `key` on `target`; returns whether the default action was prevented. */
export function press(target: Element, key: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init })
  target.dispatchEvent(event)
  return event.defaultPrevented
}

/** For each test: fake timers, a fake client and an empty container; after it, unmounts and cleans up. */
export function useWidgetDom() {
  const dom = {} as { fake: FakeClient; container: HTMLElement }
  beforeEach(() => {
    vi.useFakeTimers()
    dom.fake = createFakeClient()
    dom.container = document.body.appendChild(document.createElement('div'))
  })
  afterEach(() => {
    render(null, dom.container)
    dom.container.remove()
    vi.useRealTimers()
  })
  return dom
}
