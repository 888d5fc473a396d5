import { hyperparameters, type Completion, type CompletionRequest, type Model, type Usage } from './model.js'

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
 * key and relays the stream. Only used when `/api/demo/status` names one.
 */
export function remoteModel(name: string): Model {
  return {
    provider: 'openai',
    name,
    async complete({ messages }: CompletionRequest, onDelta): Promise<Completion> {
      const response = await fetch('/api/demo/complete', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ messages, temperature: hyperparameters.temperature, max_tokens: hyperparameters.max_tokens }),
      })
      if (!response.ok || !response.body) {
        const answer = (await response.json().catch(() => undefined)) as { error?: string } | undefined
        throw new Error(answer?.error ?? `The model route answered ${response.status}`)
      }
      let content = ''
      for await (const line of lines(response.body)) {
        if ('error' in line) throw new Error(line.error)
        if ('delta' in line) {
          content += line.delta
          onDelta(line.delta)
        } else {
          // Some OpenAI-compatible servers send no usage; zeros say "unknown" without breaking sums.
          const usage = line.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
          return { content, model: line.model, usage }
        }
      }
      throw new Error('The model stream ended without its final line')
    },
  }
}
