/**
 * How the demo logs one chat turn with Pollen: the part to read if you came
 * for an example. A turn is three events, all logged from the browser:
 *
 *   session (Pollen starts it before the first event)
 *   └─ chat turn        chain  (a span: start() … end())
 *      ├─ retrieve      tool   (the pages found for the question)
 *      └─ Model Completion  model  (the answer, logged by pollen/openai; the feedback widget rates this one)
 */
import type { PollenClient } from 'pollen'
import { observeOpenAI } from 'pollen/openai'
import { pricesOf } from './cost.js'
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

  // The completion, logged by pollen/openai as a model event under the turn:
  // model, hyperparameters, messages, output, usage, time to first token, cost.
  const context = contextOf(hits)
  const messages = messagesFor(context, question, history)
  const client = observeOpenAI(model.client({ question, hits }), hh, {
    parent_id: turn.id,
    provider: model.provider,
    config: { version: VERSION, template, type: 'chat' },
    inputs: { context, question },
    prices: pricesOf(model.provider, model.name),
    // Its id is known before the request leaves: the widget needs it as soon as the answer appears.
    onStart: (eventId) => handlers.onAnswerStart(eventId, hits),
  })

  try {
    let answer = ''
    for await (const chunk of await client.chat.completions.create({ model: model.name, messages, stream: true, ...hyperparameters })) {
      const delta = chunk.choices[0]?.delta.content
      if (!delta) continue
      answer += delta
      handlers.onDelta(delta)
    }
    turn.end({ outputs: { answer } })
    return answer
  } catch (error) {
    // The helper logged the failed completion with HoneyHive's `error` field; the turn says so too.
    turn.end({ error: error instanceof Error ? error.message : String(error) })
    throw error
  }
}
