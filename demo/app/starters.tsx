import { status } from '../state.js'

/** Questions the bundled pages answer well, offered on an empty chat. */
const STARTERS = [
  'How does Pollen batch events?',
  'What happens to events when the tab closes?',
  'How are failed sends retried?',
  'How do I collect thumbs up and down?',
]

/** The empty state: what this is, and a few questions to start with. */
export function Starters({ onPick }: { onPick(question: string): void }) {
  const upstream = status.value?.upstream
  const destination = upstream === 'honeyhive' ? <strong>to HoneyHive</strong> : upstream === 'collector' ? 'to a local collector' : ''
  return (
    <section class="starters" aria-labelledby="starters-title">
      <h2 id="starters-title">Ask about Pollen</h2>
      <p>
        A small RAG assistant that answers from Pollen's own docs. Every turn is logged from this page with Pollen
        {destination && ' '}
        {destination}, and each answer has a feedback widget. Watch the events arrive in the inspector.
      </p>
      <ul>
        {STARTERS.map((question) => (
          <li key={question}>
            <button type="button" onClick={() => onPick(question)}>
              {question}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
