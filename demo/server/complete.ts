import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJson, sendJson } from './fault.js'

/** A real model behind an OpenAI-compatible API, when the server's environment names one. */
export interface ModelConfig {
  baseUrl: string
  apiKey: string
  model: string
}

/** Reads OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL; undefined unless the first two are set. */
export function modelFromEnv(env: NodeJS.ProcessEnv = process.env): ModelConfig | undefined {
  if (!env.OPENAI_BASE_URL || !env.OPENAI_API_KEY) return undefined
  return { baseUrl: env.OPENAI_BASE_URL.replace(/\/+$/, ''), apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL || 'gpt-4o-mini' }
}

interface CompleteRequest {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
  temperature: number
  max_tokens: number
}

/** Checks the page's request; returns it, or a message naming the bad field. */
function check(body: unknown): CompleteRequest | string {
  const request = body as Partial<CompleteRequest> | undefined
  if (!request || typeof request !== 'object') return 'body: expected a JSON object'
  if (!Array.isArray(request.messages) || request.messages.length === 0 || request.messages.length > 100) {
    return 'messages: expected an array of 1 to 100 messages'
  }
  for (const [i, message] of request.messages.entries()) {
    if (!message || !['system', 'user', 'assistant'].includes(message.role)) return `messages.${i}.role: expected "system", "user" or "assistant"`
    if (typeof message.content !== 'string' || message.content.length > 50_000) return `messages.${i}.content: expected a string of at most 50,000 characters`
  }
  const temperature = request.temperature ?? 0.2
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2)) return 'temperature: expected a number from 0 to 2'
  const maxTokens = request.max_tokens ?? 512
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 4096) return 'max_tokens: expected an integer from 1 to 4096'
  return { messages: request.messages, temperature, max_tokens: maxTokens }
}

/**
 * Streams a completion from the configured model to the page as NDJSON:
 * `{"delta":"…"}` lines, then `{"done":true,"model","usage"}`. The key stays
 * on the server; the page logs the event itself, as a browser app would.
 */
export async function complete(model: ModelConfig | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!model) return sendJson(res, 404, { error: 'No model configured: set OPENAI_BASE_URL and OPENAI_API_KEY' })
  const request = check(await readJson(req))
  if (typeof request === 'string') return sendJson(res, 400, { error: request })
  let upstream: Response
  try {
    upstream = await fetch(`${model.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${model.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: model.model, ...request, stream: true, stream_options: { include_usage: true } }),
      signal: AbortSignal.timeout(60_000),
    })
  } catch (error) {
    return sendJson(res, 502, { error: `The model did not answer: ${(error as Error).message}` })
  }
  if (!upstream.ok || !upstream.body) return sendJson(res, 502, { error: `The model answered ${upstream.status}` })
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' })
  let usage: unknown
  let answered = model.model
  let buffered = ''
  const decoder = new TextDecoder()
  try {
    // Node's web streams are async iterable; the DOM typings in tsconfig do not say so.
    for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true })
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        // Server-sent events: `data: {json}` lines, ending with `data: [DONE]`.
        const data = line.startsWith('data:') ? line.slice(5).trim() : ''
        if (!data || data === '[DONE]') continue
        const event = JSON.parse(data) as { model?: string; usage?: unknown; choices?: { delta?: { content?: string } }[] }
        answered = event.model ?? answered
        if (event.usage) usage = event.usage
        const delta = event.choices?.[0]?.delta?.content
        if (delta) res.write(`${JSON.stringify({ delta })}\n`)
      }
    }
    res.end(`${JSON.stringify({ done: true, model: answered, usage })}\n`)
  } catch (error) {
    res.end(`${JSON.stringify({ error: `The model stream broke: ${(error as Error).message}` })}\n`)
  }
}
