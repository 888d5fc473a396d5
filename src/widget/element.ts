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

const attributes = {
  'event-id': 'eventId',
  comment: 'comment',
  size: 'size',
  categories: 'categories',
  'user-properties': 'userProperties',
} as const
const properties = ['eventId', 'userProperties', 'categories', 'labels'] as const

/** Bad JSON in an attribute is ignored, like an unknown attribute value: never thrown into the page. */
function json(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
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
      this.#set(attributes[name], name === 'categories' || name === 'user-properties' ? json(value) : (value ?? undefined))
    }
    connectedCallback() {
      this.#render()
    }
    disconnectedCallback() {
      unmountShadow(this.#root)
    }

    #set(key: keyof ElementProps, value: unknown) {
      this.#props = { ...this.#props, [key]: value }
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
