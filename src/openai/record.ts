import type { PollenClient, SpanEnd } from '../client/index.js'
import type { ChatMessage, ObserveOptions } from './options.js'

/** Request fields logged as `config.hyperparameters`. */
const HYPERPARAMETERS = ['temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'presence_penalty', 'frequency_penalty', 'stop', 'n', 'seed', 'logit_bias', 'response_format', 'reasoning_effort']

/** What a call produced so far: the answer's text and tool calls, usage, why it ended. */
export interface Outcome {
  content: string
  tool_calls?: unknown[]
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; input_tokens?: number; output_tokens?: number }
  finish_reason?: string
}

/**
 * The provider's name from a base URL: `api.openai.com` → `openai`,
 * `api.groq.com/openai/v1` → `groq`, a server on this machine or an address → `local`.
 */
export function providerOf(baseURL: unknown): string {
  try {
    const host = new URL(String(baseURL)).hostname
    if (host === 'localhost' || /^[\d.]+$|:/.test(host)) return 'local'
    const parts = host.split('.')
    return parts.length > 1 ? parts[parts.length - 2]! : host
  } catch {
    return 'openai-compatible'
  }
}

/**
 * One observed call: started (so its event id exists) before the request
 * leaves, logged once when it ends however it ends. Never throws into the
 * app: a logging failure loses the event, not the completion.
 */
export function startRecord(hh: PollenClient, options: ObserveOptions, params: Record<string, unknown>, provider: string, stream: boolean) {
  const capture = options.capture !== false
  const redact = options.redact ?? ((messages: ChatMessage[]) => messages)
  const messages = (Array.isArray(params.messages) ? params.messages : typeof params.input === 'string' ? [{ role: 'user', content: params.input }] : params.input) as ChatMessage[] | undefined
  const hyperparameters: Record<string, unknown> = {}
  for (const name of HYPERPARAMETERS) if (params[name] !== undefined) hyperparameters[name] = params[name]
  let span: ReturnType<PollenClient['start']> | undefined
  try {
    span = hh.start({
      event_type: 'model',
      event_name: options.event_name ?? 'Model Completion',
      parent_id: options.parent_id,
      config: { model: params.model, provider, hyperparameters, ...options.config },
      inputs: capture ? { chat_history: redact(messages ?? []), ...options.inputs } : {},
      metadata: options.metadata,
      user_properties: options.user_properties,
    })
    options.onStart?.(span.id)
  } catch {
    // Not loggable (a message that is not JSON, say): the call goes on unobserved.
  }
  const t0 = performance.now()
  let firstChunkMs: number | undefined
  let ended = false

  return {
    id: span?.id,
    /** A chunk reached the app. */
    chunk() {
      firstChunkMs ??= performance.now() - t0
    },
    /** The call ended: with its outcome so far, the error when it failed, and `extra` metadata (undefined ones left out). */
    end(outcome: Outcome, error?: unknown, extra: Record<string, unknown> = {}) {
      if (ended || !span) return
      ended = true
      const seconds = (performance.now() - t0) / 1000
      const usage = outcome.usage
      const prompt = usage?.prompt_tokens ?? usage?.input_tokens
      const completion = usage?.completion_tokens ?? usage?.output_tokens
      const metadata: Record<string, unknown> = { ...options.metadata }
      for (const [name, value] of Object.entries(extra)) if (value !== undefined) metadata[name] = value
      if (prompt !== undefined) metadata.prompt_tokens = prompt
      if (completion !== undefined) metadata.completion_tokens = completion
      if (usage && (usage.total_tokens !== undefined || (prompt !== undefined && completion !== undefined))) metadata.total_tokens = usage.total_tokens ?? prompt! + completion!
      if (outcome.finish_reason) metadata.finish_reason = outcome.finish_reason
      if (stream && firstChunkMs !== undefined) metadata.time_to_first_token_ms = Math.round(firstChunkMs * 10) / 10
      if (completion !== undefined && seconds > 0) metadata.tokens_per_second = Math.round((completion / seconds) * 10) / 10
      if (options.prices && prompt !== undefined && completion !== undefined) metadata.cost = (prompt * options.prices.input + completion * options.prices.output) / 1e6
      const answer: ChatMessage = { role: 'assistant', content: outcome.content }
      if (outcome.tool_calls?.length) answer.tool_calls = outcome.tool_calls
      const fields: SpanEnd = { metadata }
      if (capture) fields.outputs = options.redact ? (options.redact([answer])[0] ?? {}) : answer
      if (error !== undefined) fields.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      try {
        span.end(fields)
      } catch {
        // The client was closed meanwhile, or the outcome is not loggable: the app's call is unaffected.
      }
    },
  }
}


