import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import { Comment } from './comment.js'
import { Thumb } from './icons.js'
import { defaultLabels, fill } from './labels.js'
import type { FeedbackProps } from './props.js'
import { createVote, type Vote } from './vote.js'

/**
 * The widget itself, shared by all three entry points: two thumbs, a status
 * line that is also a polite live region, and the comment step.
 */
export function View(props: FeedbackProps) {
  const { client, eventId, comment = 'on-down', categories, maxLength = 2000 } = props
  const labels = { ...defaultLabels, ...props.labels }
  const latest = useRef(props)
  latest.current = props
  const vote = useMemo(() => createVote(client, eventId, () => latest.current), [client, eventId])
  // Which thumb's comment step is open; null when closed.
  const [step, setStep] = useState<boolean | null>(null)
  const [, rerender] = useState(0)
  const thumbs = [useRef<HTMLButtonElement>(null), useRef<HTMLButtonElement>(null)]
  // A layout effect: Preact 11 runs passive cleanups after paint, and an
  // unmount must stop tracking (and send a settling vote) at once.
  useLayoutEffect(() => {
    setStep(null)
    const stop = vote.subscribe(() => rerender((n) => n + 1))
    return () => {
      stop()
      vote.dispose()
    }
  }, [vote])

  const { vote: current, status, waiting, reason } = vote.state
  const text =
    status === 'queued' ? labels[waiting ?? 'sending']
    : status === 'saved' && current ? labels.saved
    : status === 'failed' ? fill(labels.failed, { reason: reason ?? '' })
    : ''

  const press = (rating: boolean) => {
    const next = vote.state.vote?.rating === rating ? null : { rating }
    vote.choose(next)
    setStep(next && (comment === 'always' || (comment === 'on-down' && !rating)) ? rating : null)
  }
  const done = (rating: boolean, given?: Vote) => {
    if (given) vote.choose(given)
    setStep(null)
    thumbs[+rating]!.current?.focus()
  }

  return (
    <div class={props.size === 'compact' ? 'root compact' : 'root'} role="group" aria-label={labels.prompt}>
      <div class="row">
        {[true, false].map((rating) => (
          <button
            key={String(rating)}
            ref={thumbs[+rating]}
            type="button"
            class="thumb"
            aria-pressed={current?.rating === rating}
            aria-label={rating ? labels.up : labels.down}
            title={rating ? labels.up : labels.down}
            onClick={() => press(rating)}
          >
            <Thumb down={!rating} />
          </button>
        ))}
        <span role="status" aria-live="polite" class={status === 'failed' ? 'status failed' : 'status'}>
          {text}
        </span>
      </div>
      {step !== null && (
        <Comment
          key={String(step)}
          rating={step}
          categories={step ? undefined : categories}
          labels={labels}
          maxLength={maxLength}
          onDone={done}
        />
      )}
    </div>
  )
}
