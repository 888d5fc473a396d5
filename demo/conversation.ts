import type { PollenClient } from 'pollen'
import { localModel } from './rag/local-model.js'
import type { Model } from './rag/model.js'
import type { ChatMessage } from './rag/prompt.js'
import { remoteModel } from './rag/remote-model.js'
import { runTurn } from './rag/turn.js'
import { saveChat } from './saved-chat.js'
import { answering, draft, messages, status, type Message } from './state.js'

const newId = () => crypto.randomUUID()

/** The real model when the server has one, else the local assistant. */
function currentModel(): Model {
  const llm = status.value?.llm
  return llm?.provider === 'openai' ? remoteModel(llm.model) : localModel
}

/** Earlier turns as the model sees them; failed answers are left out. */
function historyOf(list: Message[]): ChatMessage[] {
  return list.filter((m) => !m.failed).map((m) => ({ role: m.role, content: m.text }))
}

/** Updates the answer; adds it if it failed before it was shown. */
function settle(answer: Message) {
  const list = messages.value
  messages.value = list.some((m) => m.id === answer.id)
    ? list.map((m) => (m.id === answer.id ? { ...m, ...answer } : m))
    : [...list, answer]
}

/**
 * Sends a question: shows it, streams the answer into {@link draft}, and
 * keeps the finished turn in sessionStorage. The logging is in rag/turn.ts.
 */
export async function ask(hh: PollenClient, question: string): Promise<void> {
  if (answering.value) return
  const history = historyOf(messages.value)
  messages.value = [...messages.value, { id: newId(), role: 'user', text: question }]
  const answerId = newId()
  // Set before the answer message exists, so the composer locks at once.
  answering.value = answerId
  draft.value = ''
  try {
    const answer = await runTurn(hh, currentModel(), question, history, {
      onAnswerStart(eventId, hits) {
        const sources = hits.map(({ passage }) => ({ id: passage.id, title: passage.title }))
        messages.value = [...messages.value, { id: answerId, role: 'assistant', text: '', eventId, sources }]
      },
      onDelta(text) {
        draft.value += text
      },
    })
    settle({ id: answerId, role: 'assistant', text: answer })
  } catch (error) {
    const text = `No answer this time. ${error instanceof Error ? error.message : String(error)}`
    settle({ id: answerId, role: 'assistant', text, failed: true })
  } finally {
    answering.value = null
    draft.value = ''
    saveChat(messages.value)
  }
}

/** Starts over: a new chat in the same Pollen session. */
export function clearChat(): void {
  if (answering.value) return
  messages.value = []
  saveChat([])
}
