import { h } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { FeedbackProps } from './props.js'
import { renderInShadow, shadowOf, unmountShadow } from './shadow.js'

/**
 * The feedback control for Preact apps: thumbs up and down under an answer,
 * an optional comment step, and a truthful delivery status. It renders into
 * a shadow root of its own, so page CSS neither styles nor breaks it.
 *
 * @example
 * <Feedback client={hh} eventId={id} categories={[{ id: 'wrong', label: 'Incorrect' }]} />
 */
export function Feedback(props: FeedbackProps) {
  const host = useRef<HTMLElement>(null)
  const root = useRef<ShadowRoot>(null)
  useLayoutEffect(() => {
    const shadow = (root.current = shadowOf(host.current!))
    return () => unmountShadow(shadow)
  }, [])
  // The inner tree is a separate render() root: give it the new props after each render of ours.
  useLayoutEffect(() => renderInShadow(root.current!, props))
  // A tag of our own, not a <span>: page rules for `span` would reach the host.
  return h('pollen-feedback-host', { ref: host })
}
