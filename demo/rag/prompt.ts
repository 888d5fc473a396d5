import type { Hit } from './retrieve.js'

/** A chat message as models take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** The prompt template, logged as the model event's `config.template`, as HoneyHive shows prompts. */
export const template: ChatMessage[] = [
  {
    role: 'system',
    content:
      "You are the Pollen docs assistant. Answer the user's question only using provided context, in two or three sentences.\n\nContext: {{ context }}",
  },
  { role: 'user', content: '{{question}}' },
]

/** Earlier messages sent along with a question: the last three turns are enough for follow-ups. */
const HISTORY_MESSAGES = 6

/** The retrieved pages as the `{{ context }}` the model reads. */
export function contextOf(hits: Hit[]): string {
  if (hits.length === 0) return '(no matching pages)'
  return hits.map(({ passage }) => `## ${passage.title}\n${passage.text}`).join('\n\n')
}

/**
 * The messages actually sent: the system message with the context filled in,
 * the recent turns, and the question. Logged as `inputs.chat_history`.
 */
export function messagesFor(context: string, question: string, history: ChatMessage[]): ChatMessage[] {
  const [system, user] = template as [ChatMessage, ChatMessage]
  return [
    { role: 'system', content: system.content.replace('{{ context }}', context) },
    ...history.slice(-HISTORY_MESSAGES),
    { role: 'user', content: user.content.replace('{{question}}', question) },
  ]
}
