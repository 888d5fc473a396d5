import type { PollenClient } from '../client/index.js'
import type { ChatMessage, ObserveOptions } from './options.js'
import { startRecord } from './record.js'

/** The part of a Chrome Prompt API session (`await LanguageModel.create()`) that is observed. */
export interface PromptSession {
  prompt(input: unknown, options?: { signal?: AbortSignal }): Promise<string>
  promptStreaming(input: unknown, options?: { signal?: AbortSignal }): ReadableStream<string>
  /** Tokens the session's context holds now, and how many it can hold. */
  readonly inputUsage?: number
  readonly inputQuota?: number
}

/** A prompt's input as chat messages: a string is one user message. */
function messagesOf(input: unknown): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }]
  return Array.isArray(input) ? (input as ChatMessage[]) : [{ role: 'user', content: input }]
}

/**
 * Logs every prompt of a session of Chrome's built-in model (the Prompt API)
 * as a `model` event of `hh`, provider `chrome-built-in`: the prompt, the
 * output, the measured duration, the time to the first chunk of a stream, and
 * the session's `inputUsage` / `inputQuota` after the call. A stream comes
 * back chunk for chunk; a stopped, aborted or failed prompt is logged with what
 * it produced and the error, which reaches the app unchanged.
 *
 * @example
 * const session = observePromptAPI(await LanguageModel.create(), hh, { parent_id: turn.id })
 * for await (const chunk of session.promptStreaming(question)) render(chunk)
 */
export function observePromptAPI<T extends PromptSession>(session: T, hh: PollenClient, options: ObserveOptions = {}): T {
  const record = (input: unknown, stream: boolean) =>
    startRecord(hh, { ...options, config: { model: 'gemini-nano', ...options.config } }, { messages: messagesOf(input) }, options.provider ?? 'chrome-built-in', stream)
  /** Logs the prompt, with the session's context use after it. */
  const end = (recorder: ReturnType<typeof record>, content: string, error?: unknown) =>
    recorder.end({ content }, error, { input_usage: session.inputUsage, input_quota: session.inputQuota })

  return new Proxy(session, {
    get(target, name) {
      const value = Reflect.get(target, name)
      if (name === 'prompt') {
        return (input: unknown, callOptions?: { signal?: AbortSignal }) => {
          const recorder = record(input, false)
          const result = target.prompt(input, callOptions)
          result.then(
            (text) => end(recorder, text),
            (error: unknown) => end(recorder, '', error),
          )
          return result
        }
      }
      if (name === 'promptStreaming') {
        return (input: unknown, callOptions?: { signal?: AbortSignal }) => {
          const recorder = record(input, true)
          const reader = target.promptStreaming(input, callOptions).getReader()
          let content = ''
          return new ReadableStream<string>({
            async pull(controller) {
              try {
                const { done, value } = await reader.read()
                if (done) {
                  end(recorder, content)
                  return controller.close()
                }
                recorder.chunk()
                content += value
                controller.enqueue(value)
              } catch (error) {
                end(recorder, content, error)
                controller.error(error)
              }
            },
            cancel(reason) {
              // The app stopped reading: logged with what it got.
              end(recorder, content)
              return reader.cancel(reason)
            },
          })
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
