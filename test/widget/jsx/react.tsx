/** @jsxImportSource react */
/**
 * `<pollen-feedback>` in React 19 TSX, with no declaration of our own: the
 * types come with `pollen/widget`. `npm test` compiles this file (tsc -p .);
 * each `@ts-expect-error` fails the build if the element's props become `any`.
 * test/e2e/react.test.ts runs the same shapes in Chromium.
 */
import { useRef } from 'react'
import type { FeedbackElement, Vote } from 'pollen/widget'

export function Answer({ id }: { id: string }) {
  const ref = useRef<FeedbackElement>(null)
  const changed = (event: CustomEvent<Vote | null>) => event.detail?.rating
  return (
    <pollen-feedback
      ref={ref}
      key={id}
      event-id={id}
      className="feedback"
      id={`feedback-${id}`}
      style={{ marginTop: 4 }}
      comment="always"
      size="compact"
      categories={[{ id: 'wrong', label: 'Incorrect' }]}
      user-properties='{"plan":"pro"}'
      onpollen-feedback-change={changed}
    />
  )
}

// JSON text works for categories as well as the array.
export const asText = <pollen-feedback event-id="e1" categories='[{"id":"wrong","label":"Incorrect"}]' />

// @ts-expect-error event-id is a string
export const numberId = <pollen-feedback event-id={42} />
// @ts-expect-error size is compact or regular
export const badSize = <pollen-feedback size="huge" />
// @ts-expect-error comment is never, on-down or always
export const badComment = <pollen-feedback comment="sometimes" />
// @ts-expect-error a category has an id and a label
export const badCategories = <pollen-feedback categories={[{ id: 'wrong' }]} />
// @ts-expect-error the ref is to the element, not to another one
export const badRef = <pollen-feedback ref={useRef<HTMLInputElement>(null)} />
// @ts-expect-error the listener gets the change event
export const badListener = <pollen-feedback onpollen-feedback-change={(event: KeyboardEvent) => event.key} />
// @ts-expect-error React's attribute is className
export const htmlClass = <pollen-feedback class="feedback" />
