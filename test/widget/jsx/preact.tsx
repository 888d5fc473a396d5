/**
 * `<pollen-feedback>` in Preact TSX (the repository's own JSX), typed by
 * `pollen/widget` alone. `npm test` compiles this file (tsc -p .); each
 * `@ts-expect-error` fails the build if the element's props become `any`.
 */
import { useRef } from 'preact/hooks'
import type { FeedbackElement, Vote } from 'pollen/widget'

export function Answer({ id }: { id: string }) {
  const ref = useRef<FeedbackElement>(null)
  const changed = (event: CustomEvent<Vote | null>) => event.detail?.rating
  return (
    <pollen-feedback
      ref={ref}
      key={id}
      event-id={id}
      class="feedback"
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

// @ts-expect-error event-id is a string
export const numberId = <pollen-feedback event-id={42} />
// @ts-expect-error size is compact or regular
export const badSize = <pollen-feedback size="huge" />
// @ts-expect-error a category has an id and a label
export const badCategories = <pollen-feedback categories={[{ id: 'wrong' }]} />
// @ts-expect-error the ref is to the element, not to another one
export const badRef = <pollen-feedback ref={useRef<HTMLInputElement>(null)} />
// @ts-expect-error the listener gets the change event
export const badListener = <pollen-feedback onpollen-feedback-change={(event: KeyboardEvent) => event.key} />
