import type { ChatMessage } from './prompt.js'
import type { Hit } from './retrieve.js'

/** Token counts, as OpenAI reports them and as HoneyHive shows them in `metadata`. */
export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** What a model was asked: the messages, plus the pages behind them (the local model reads those). */
export interface CompletionRequest {
  messages: ChatMessage[]
  question: string
  hits: Hit[]
}

/** A finished answer, with the model that wrote it and what it cost in tokens. */
export interface Completion {
  content: string
  model: string
  usage: Usage
}

/** Something that answers a question, streaming its text through `onDelta`. */
export interface Model {
  provider: 'local' | 'openai'
  /** The model's name, logged as `config.model`. */
  name: string
  complete(request: CompletionRequest, onDelta: (text: string) => void): Promise<Completion>
}

/** The sampling settings of every completion, logged as `config.hyperparameters`. */
export const hyperparameters = { temperature: 0, top_p: 1, max_tokens: 512 }
