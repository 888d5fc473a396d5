import type { ChatMessage } from './prompt.js'
import type { Hit } from './retrieve.js'

/** Token counts, as OpenAI reports them and as HoneyHive shows them in `metadata`. */
export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** What a model is asked about: the pages behind the messages (the local model reads those). */
export interface CompletionRequest {
  question: string
  hits: Hit[]
}

/** A streamed piece of an answer, in OpenAI's chat completion chunk shape; the last one carries usage. */
export interface Chunk {
  model: string
  choices: { index: number; delta: { content?: string }; finish_reason: string | null }[]
  usage?: Usage
}

/**
 * An OpenAI-compatible client, as far as the demo uses one: `pollen/openai`
 * observes any object of this shape (the `openai` package, WebLLM, or these).
 */
export interface ChatClient {
  chat: {
    completions: {
      create(params: { model: string; messages: ChatMessage[]; stream: true } & typeof hyperparameters): Promise<AsyncIterable<Chunk>>
    }
  }
}

/** Something that answers a question: a name for the logs, and a client for this question. */
export interface Model {
  provider: 'local' | 'openai'
  /** The model's name, sent as `model` and logged as `config.model`. */
  name: string
  client(request: CompletionRequest): ChatClient
}

/** The sampling settings of every completion, logged as `config.hyperparameters`. */
export const hyperparameters = { temperature: 0, top_p: 1, max_tokens: 512 }
