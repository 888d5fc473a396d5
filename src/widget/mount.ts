import type { FeedbackProps } from './props.js'
import { renderInShadow, shadowOf, unmountShadow } from './shadow.js'

/**
 * Renders the feedback control into `element`'s open shadow root (attached
 * now, or reused), for pages that do not use Preact. Calling it again on the
 * same element updates the props. Returns the function that removes it.
 *
 * @example
 * const unmount = mountFeedback(document.querySelector('#answer-42 .feedback')!, { client: hh, eventId: id })
 */
export function mountFeedback(element: Element, props: FeedbackProps): () => void {
  const root = shadowOf(element)
  renderInShadow(root, props)
  return () => unmountShadow(root)
}
