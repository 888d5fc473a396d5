import type { StoredEvent } from '../api.js'
import { ThumbIcon } from './icons.js'

type Feedback = { rating?: boolean | null; comment?: string; categories?: string[] }

/** What a stored event's feedback says, in a few words. */
function FeedbackLine({ feedback, user }: { feedback?: Feedback; user?: Record<string, unknown> }) {
  if (!feedback || !('rating' in feedback)) return null
  const { rating, comment, categories } = feedback
  return (
    <span class={rating === true ? 'feedback up' : rating === false ? 'feedback down' : 'feedback'}>
      {typeof rating === 'boolean' && <ThumbIcon down={!rating} />}
      {rating === true ? 'helpful' : rating === false ? 'not helpful' : 'vote taken back'}
      {categories && categories.length > 0 && ` · ${categories.join(', ')}`}
      {comment && ` · “${comment}”`}
      {user?.user_id !== undefined && <span class="who"> · {String(user.user_id)}</span>}
    </span>
  )
}

/** Milliseconds, as a person reads them. */
const ms = (value: unknown) =>
  typeof value !== 'number' ? '' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`

/** One stored event: its type, name and headline figures; opens to the JSON as stored. */
export function EventRow({ event, orphan }: { event: StoredEvent; orphan: boolean }) {
  const config = event.config as { model?: string } | undefined
  const metadata = event.metadata as { total_tokens?: number } | undefined
  const details = [
    event.event_type === 'model' ? config?.model : undefined,
    event.event_type === 'model' && metadata?.total_tokens !== undefined ? `${metadata.total_tokens} tokens` : undefined,
    event.event_type === 'session' ? undefined : ms(event.duration),
  ].filter(Boolean)

  return (
    <details class="event">
      <summary>
        <span class="summary">
          <span class={`type ${event.event_type}`}>{event.event_type}</span>
          <span class="event-name">{event.event_name ?? event.event_id}</span>
          {details.length > 0 && <span class="event-meta">{details.join(' · ')}</span>}
          {typeof event.error === 'string' && <span class="error">error: {event.error}</span>}
          {orphan && (
            <span class="event-meta" title="Its chat turn is still running, or a reload cut it short before it ended">
              (no parent stored)
            </span>
          )}
          <FeedbackLine
            feedback={event.feedback as Feedback | undefined}
            user={event.user_properties as Record<string, unknown> | undefined}
          />
        </span>
      </summary>
      <pre>{JSON.stringify(event, null, 2)}</pre>
    </details>
  )
}
