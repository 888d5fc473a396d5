import type { Chunk, Model, Usage } from './model.js'
import type { ChatMessage } from './prompt.js'

/** One NDJSON line of `POST /api/demo/complete`. */
type Line = { delta: string } | { done: true; model: string; usage?: Usage } | { error: string }

/** Reads an NDJSON body line by line, as it arrives. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<Line> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  for (;;) {
    const { done, value } = await reader.read()
    buffered += decoder.decode(value, { stream: !done })
    const complete = buffered.split('\n')
    buffered = done ? '' : complete.pop()!
    for (const line of complete) if (line.trim()) yield JSON.parse(line) as Line
    if (done) return
  }
}

/**
 * A real model behind the demo server's `/api/demo/complete`, which holds the
 * key and relays the stream, seen as an OpenAI-compatible client. Only used
 * when `/api/demo/status` names one.
 */
export function remoteModel(name: string): Model {
  return {
    provider: 'openai',
    name,
    client: () => ({
      chat: {
        completions: {
          async create({ messages, temperature, max_tokens }: { messages: ChatMessage[]; temperature: number; max_tokens: number }) {
            const response = await fetch('/api/demo/complete', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ messages, temperature, max_tokens }),
            })
            if (!response.ok || !response.body) {
              const answer = (await response.json().catch(() => undefined)) as { error?: string } | undefined
              throw new Error(answer?.error ?? `The model route answered ${response.status}`)
            }
            const body = response.body
            return (async function* (): AsyncGenerator<Chunk> {
              for await (const line of lines(body)) {
                if ('error' in line) throw new Error(line.error)
                if ('delta' in line) yield { model: name, choices: [{ index: 0, delta: { content: line.delta }, finish_reason: null }] }
                // Some OpenAI-compatible servers send no usage: then none is logged.
                else return yield { model: line.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: line.usage }
              }
              throw new Error('The model stream ended without its final line')
            })()
          },
        },
      },
    }),
  }
}
