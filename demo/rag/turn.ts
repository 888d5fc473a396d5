/**
 * How the demo logs one chat turn with Pollen: the part to read if you came
 * for an example. A turn is three events, all logged from the browser:
 *
 *   session (Pollen starts it before the first event)
 *   └─ chat turn        chain  (a span: start() … end())
 *      ├─ retrieve      tool   (the pages found for the question)
 *      └─ Model Completion  model  (the answer; the feedback widget rates this one)
 */
import type { PollenClient } from 'pollen'
import { costOf } from './cost.js'
import { hyperparameters, type Model } from './model.js'
import { contextOf, messagesFor, template, type ChatMessage } from './prompt.js'
import { retrieve, type Hit } from './retrieve.js'

/** Version of the prompt and retrieval, logged as `config.version`; bump it when either changes. */
const VERSION = 'simple-rag-v1'

export interface TurnHandlers {
  /** The answer is about to stream; its model event id is known already, so the UI can show the widget's place. */
  onAnswerStart(modelEventId: string, hits: Hit[]): void
  /** More text of the answer. */
  onDelta(text: string): void
}

/** Asks `model` the question with the retrieved pages, logging the turn; resolves with the answer. */
export async function runTurn(
  hh: PollenClient,
  model: Model,
  question: string,
  history: ChatMessage[],
  handlers: TurnHandlers,
): Promise<string> {
  // The chain span: the parent of the turn's events. Its own parent is the session (the default).
  const turn = hh.start({ event_name: 'chat turn', event_type: 'chain', inputs: { question } })

  // Retrieval, as a tool span under the turn.
  const retrieval = hh.start({ event_name: 'retrieve', event_type: 'tool', parent_id: turn.id, inputs: { query: question } })
  const hits = retrieve(question)
  retrieval.end({
    outputs: { passages: hits.map(({ passage, score }) => ({ id: passage.id, title: passage.title, score })) },
  })

  // The completion, as a model span: its id is known now (the widget needs it
  // as soon as the answer appears) and end() measures its duration.
  const context = contextOf(hits)
  const messages = messagesFor(context, question, history)
  const config = { model: model.name, provider: model.provider, version: VERSION, hyperparameters, template, type: 'chat' }
  const completion = hh.start({
    event_name: 'Model Completion',
    event_type: 'model',
    parent_id: turn.id,
    config,
    inputs: { context, question, chat_history: messages },
  })
  handlers.onAnswerStart(completion.id, hits)

  try {
    const answer = await model.complete({ messages, question, hits }, handlers.onDelta)
    completion.end({
      // A real provider names the exact model that answered (gpt-4o-mini-2024-07-18).
      config: { ...config, model: answer.model },
      outputs: { role: 'assistant', content: answer.content },
      metadata: { ...answer.usage, cost: costOf(model.provider, answer) },
    })
    turn.end({ outputs: { answer: answer.content } })
    return answer.content
  } catch (error) {
    // A failed completion is logged too, with HoneyHive's `error` field, so it shows up in the session.
    const message = error instanceof Error ? error.message : String(error)
    completion.end({ error: message })
    turn.end({ error: message })
    throw error
  }
}
