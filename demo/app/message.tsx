import type { PollenClient } from 'pollen'
import { Feedback } from 'pollen/widget'
import { answering, draft, type Message } from '../state.js'
import { RichText } from './rich-text.js'

/** The reasons offered on thumbs down; their ids land in `feedback.categories`. */
const CATEGORIES = [
  { id: 'wrong', label: 'Wrong' },
  { id: 'outdated', label: 'Outdated' },
  { id: 'unclear', label: 'Unclear' },
  { id: 'unsafe', label: 'Unsafe' },
]

/**
 * The answer as it streams. It alone reads {@link draft}, so a token
 * re-renders this paragraph and nothing else. It is hidden from screen
 * readers: the conversation log announces the answer once, when complete.
 */
function Streaming() {
  return (
    <>
      <p class="text" aria-hidden="true">
        <RichText text={draft.value} />
        <span class="caret" />
      </p>
      <span class="sr-only">Answering…</span>
    </>
  )
}

function Sources({ sources }: { sources: NonNullable<Message['sources']> }) {
  if (sources.length === 0) return null
  return (
    <p class="sources">
      <span class="sources-label">Retrieved</span>
      {sources.map((source) => (
        <span key={source.id} class="source">
          {source.title}
        </span>
      ))}
    </p>
  )
}

/** One message: the user's on the right, the assistant's on the left with its sources and the feedback widget. */
export function MessageView({ hh, message }: { hh: PollenClient; message: Message }) {
  if (message.role === 'user') {
    return (
      <div class="message user">
        <span class="sr-only">You: </span>
        <p class="bubble">{message.text}</p>
      </div>
    )
  }
  const streaming = answering.value === message.id
  return (
    <article class={message.failed ? 'message assistant failed' : 'message assistant'} aria-label="Answer">
      {/* Above the answer: retrieval comes first, and growing text then pushes nothing but the widget's slot. */}
      {message.sources && <Sources sources={message.sources} />}
      {streaming ? (
        <Streaming />
      ) : (
        <p class="text">
          <RichText text={message.text} />
        </p>
      )}
      {!message.failed && (
        // The slot keeps the widget's height while the answer streams, so nothing jumps when it appears.
        <div class="feedback-slot">
          {!streaming && message.eventId && <Feedback client={hh} eventId={message.eventId} categories={CATEGORIES} />}
        </div>
      )}
    </article>
  )
}
