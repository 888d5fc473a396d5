import { isObject } from '../check/index.js'
import type { FeedbackClient, FeedbackProps } from './props.js'
import { renderInShadow, shadowOf, unmountShadow } from './shadow.js'
import type { Vote } from './vote.js'

/** The props an element takes from its attributes or properties, and the defaults for all of them. */
type ElementProps = Omit<FeedbackProps, 'client'>

/** The `<pollen-feedback>` element: its properties override its attributes, and the other way round, whichever was set last. */
export interface FeedbackElement extends HTMLElement {
  eventId: FeedbackProps['eventId'] | undefined
  userProperties: FeedbackProps['userProperties']
  categories: FeedbackProps['categories']
  labels: FeedbackProps['labels']
}

declare global {
  interface HTMLElementTagNameMap {
    'pollen-feedback': FeedbackElement
  }
  interface HTMLElementEventMap {
    /** A vote on a `<pollen-feedback>`, or `null` when it was taken back. */
    'pollen-feedback-change': CustomEvent<Vote | null>
  }
}

const attributes = {
  'event-id': 'eventId',
  comment: 'comment',
  size: 'size',
  categories: 'categories',
  'user-properties': 'userProperties',
} as const
const properties = ['eventId', 'userProperties', 'categories', 'labels'] as const

/** What each JSON-valued prop must be, and how to say so. */
const SHAPES = {
  categories: [(value: unknown) => Array.isArray(value) && value.every((c) => isObject(c) && typeof c.id === 'string' && typeof c.label === 'string'), 'an array of {"id","label"} strings'],
  userProperties: [isObject, 'an object'],
  labels: [isObject, 'an object of strings'],
} as const

/**
 * A JSON-valued prop, given as its value or as JSON text (an attribute, or a
 * framework such as React 19 setting the property to the attribute's text).
 * A value of the wrong shape is ignored with a console warning, never thrown
 * into the page.
 */
function checked(key: keyof typeof SHAPES, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      parsed = undefined
    }
  }
  const [valid, expected] = SHAPES[key]
  if (valid(parsed)) return parsed
  console.warn(`<pollen-feedback>: ${key}: expected ${expected}, got ${String(value).slice(0, 60)}; ignored`)
  return undefined
}

/**
 * Registers the feedback control as a custom element (once; later calls for
 * the same tag do nothing). Attributes: `event-id`, `comment`, `size`,
 * `categories` (a JSON array of `{"id","label"}`), `user-properties` (a JSON
 * object). Properties: `eventId`, `userProperties`, `categories`, `labels`.
 * Each vote dispatches a bubbling, composed `pollen-feedback-change` event
 * whose `detail` is the vote, or null when taken back.
 *
 * @example
 * defineFeedbackElement(hh, { comment: 'always' })
 * // <pollen-feedback event-id="…" categories='[{"id":"wrong","label":"Incorrect"}]'></pollen-feedback>
 */
export function defineFeedbackElement(
  client: FeedbackClient,
  { tagName = 'pollen-feedback', ...defaults }: Partial<ElementProps> & { tagName?: string } = {},
): void {
  if (customElements.get(tagName)) return

  class PollenFeedback extends HTMLElement {
    static observedAttributes = Object.keys(attributes)
    #props: Partial<ElementProps> = {}
    #root = shadowOf(this)

    constructor() {
      super()
      // A property set before the element was defined is an own property that
      // hides the accessor: take it back through the setter.
      for (const key of properties) {
        if (!Object.hasOwn(this, key)) continue
        const value = this[key]
        delete this[key]
        this[key] = value as never
      }
    }

    attributeChangedCallback(name: keyof typeof attributes, _old: string | null, value: string | null) {
      this.#set(attributes[name], value ?? undefined)
    }
    connectedCallback() {
      this.#render()
    }
    disconnectedCallback() {
      unmountShadow(this.#root)
    }

    #set(key: keyof ElementProps, value: unknown) {
      this.#props = { ...this.#props, [key]: key in SHAPES ? checked(key as keyof typeof SHAPES, value) : value }
      if (this.isConnected) this.#render()
    }
    #render() {
      const props = { ...defaults, ...this.#props }
      if (!props.eventId) return unmountShadow(this.#root)
      const onChange = (vote: Vote | null) => {
        props.onChange?.(vote)
        this.dispatchEvent(new CustomEvent('pollen-feedback-change', { detail: vote, bubbles: true, composed: true }))
      }
      renderInShadow(this.#root, { ...props, eventId: props.eventId, client, onChange })
    }

    get eventId() { return this.#props.eventId }
    set eventId(value) { this.#set('eventId', value) }
    get userProperties() { return this.#props.userProperties }
    set userProperties(value) { this.#set('userProperties', value) }
    get categories() { return this.#props.categories }
    set categories(value) { this.#set('categories', value) }
    get labels() { return this.#props.labels }
    set labels(value) { this.#set('labels', value) }
  }
  customElements.define(tagName, PollenFeedback)
}
