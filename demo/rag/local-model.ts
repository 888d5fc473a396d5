import { composeAnswer } from './answer.js'
import type { Chunk, CompletionRequest, Model } from './model.js'
import type { ChatMessage } from './prompt.js'

/** Pause between streamed words: quick, but slow enough to watch it type. */
const TOKEN_MS = 18

/** Tokens estimated as a quarter of the characters, the usual rule of thumb for English. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4)

const NAME = 'pollen-local-rag'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The "Simple RAG" assistant that runs in the page: it answers from the
 * retrieved pages alone and streams word by word, in OpenAI's chunk shape, so
 * the demo works offline and without an API key. It reports its own token
 * estimate as usage, as a server would report its count.
 */
export const localModel: Model = {
  provider: 'local',
  name: NAME,
  client: ({ question, hits }: CompletionRequest) => ({
    chat: {
      completions: {
        async create({ messages }: { messages: ChatMessage[] }) {
          const content = composeAnswer(question, hits)
          return (async function* (): AsyncGenerator<Chunk> {
            for (const word of content.match(/\S+\s*/g) ?? []) {
              await wait(TOKEN_MS)
              yield { model: NAME, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] }
            }
            const prompt = estimateTokens(messages.map((m) => m.content).join('\n'))
            const completion = estimateTokens(content)
            yield {
              model: NAME,
              choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
              usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
            }
          })()
        },
      },
    },
  }),
}
