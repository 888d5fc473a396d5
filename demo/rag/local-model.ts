import { composeAnswer } from './answer.js'
import type { Completion, CompletionRequest, Model } from './model.js'

/** Pause between streamed words: quick, but slow enough to watch it type. */
const TOKEN_MS = 18

/** Tokens estimated as a quarter of the characters, the usual rule of thumb for English. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4)

const NAME = 'pollen-local-rag'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The "Simple RAG" assistant that runs in the page: it answers from the
 * retrieved pages alone and streams word by word, so the demo works offline
 * and without an API key.
 */
export const localModel: Model = {
  provider: 'local',
  name: NAME,
  async complete({ messages, question, hits }: CompletionRequest, onDelta): Promise<Completion> {
    const content = composeAnswer(question, hits)
    for (const word of content.match(/\S+\s*/g) ?? []) {
      await wait(TOKEN_MS)
      onDelta(word)
    }
    const prompt = estimateTokens(messages.map((m) => m.content).join('\n'))
    const completion = estimateTokens(content)
    return { content, model: NAME, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } }
  },
}
