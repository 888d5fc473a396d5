// @vitest-environment node
/**
 * observePromptAPI against a stand-in for Chrome's Prompt API, written from
 * the explainer and Chrome's documentation (LanguageModel.availability(),
 * LanguageModel.create(), session.prompt(), session.promptStreaming(),
 * measureInputUsage(), inputUsage, inputQuota, destroy()): headless Chromium
 * has no built-in model to test with.
 */
import { expect, test } from 'vitest'
import { recordingClient } from './recorder.js'
import { observePromptAPI } from '../../src/openai/index.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const tokens = (value: unknown) => Math.ceil(JSON.stringify(value).length / 4)

/** `LanguageModel` as Chrome ships it, answering `reply` word by word. */
function fakeLanguageModel(reply: string, { failAfter }: { failAfter?: number } = {}) {
  return {
    availability: async () => 'available' as const,
    async create(options: { initialPrompts?: { role: string; content: string }[] } = {}) {
      let inputUsage = tokens(options.initialPrompts ?? [])
      let destroyed = false
      return {
        get inputUsage() {
          return inputUsage
        },
        inputQuota: 6144,
        measureInputUsage: async (input: unknown) => tokens(input),
        async prompt(input: unknown, { signal }: { signal?: AbortSignal } = {}) {
          await sleep(5)
          if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError')
          inputUsage += tokens(input) + tokens(reply)
          return reply
        },
        promptStreaming(input: unknown, { signal }: { signal?: AbortSignal } = {}): ReadableStream<string> {
          const words = reply.split(/(?= )/)
          let i = 0
          return new ReadableStream<string>({
            async pull(controller) {
              await sleep(5)
              if (signal?.aborted) return controller.error(new DOMException('The operation was aborted.', 'AbortError'))
              if (i === failAfter) return controller.error(new DOMException('The model crashed.', 'UnknownError'))
              if (i === words.length) {
                inputUsage += tokens(input) + tokens(reply)
                return controller.close()
              }
              controller.enqueue(words[i++]!)
            },
          })
        },
        destroy: () => void (destroyed = true),
        get destroyed() {
          return destroyed
        },
      }
    },
  }
}


test('prompt(): one model event, provider chrome-built-in, with the session\'s inputUsage and inputQuota after the call', async () => {
  const { hh, events } = recordingClient()
  const LanguageModel = fakeLanguageModel('It is sunny.')
  expect(await LanguageModel.availability()).toBe('available')
  const session = observePromptAPI(await LanguageModel.create(), hh, { parent_id: 'turn' })
  expect(await session.prompt('Weather?')).toBe('It is sunny.')
  await sleep(0)
  expect(events[0]!.start).toMatchObject({ event_type: 'model', parent_id: 'turn', config: { provider: 'chrome-built-in' }, inputs: { chat_history: [{ role: 'user', content: 'Weather?' }] } })
  expect(events[0]!.end).toMatchObject({ outputs: { role: 'assistant', content: 'It is sunny.' }, metadata: { input_usage: session.inputUsage, input_quota: 6144 } })
  expect(events[0]!.end!.error).toBeUndefined()
  // The rest of the session is the session's own.
  expect(await session.measureInputUsage('abc')).toBe(2)
  session.destroy()
  expect(session.destroyed).toBe(true)
})

test('promptStreaming(): chunk for chunk to the app; output, time to first chunk, and usage logged', async () => {
  const { hh, events } = recordingClient()
  const session = observePromptAPI(await fakeLanguageModel('one two three').create(), hh)
  const chunks: string[] = []
  for await (const chunk of session.promptStreaming([{ role: 'user', content: 'Count' }]) as unknown as AsyncIterable<string>) chunks.push(chunk)
  expect(chunks).toEqual(['one', ' two', ' three'])
  expect(events[0]!.end!.outputs.content).toBe('one two three')
  expect(events[0]!.end!.metadata.time_to_first_token_ms).toBeGreaterThan(0)
  expect(events[0]!.end!.metadata.input_usage).toBe(session.inputUsage)
  expect(events[0]!.start.inputs.chat_history).toEqual([{ role: 'user', content: 'Count' }])
})

test('an abort mid-stream and a model failure are logged with the partial output and the error the app got', async () => {
  const { hh, events } = recordingClient()
  const session = observePromptAPI(await fakeLanguageModel('a b c d e', { failAfter: 3 }).create(), hh)
  const controller = new AbortController()
  let text = ''
  await expect(async () => {
    for await (const chunk of session.promptStreaming('go', { signal: controller.signal }) as unknown as AsyncIterable<string>) {
      text += chunk
      if (text.length >= 3) controller.abort()
    }
  }).rejects.toThrow(/aborted/)
  await expect(async () => {
    for await (const _ of session.promptStreaming('go') as unknown as AsyncIterable<string>) void _
  }).rejects.toThrow(/crashed/)
  expect(events.map((e) => [e.end!.outputs.content, e.end!.error])).toEqual([
    ['a b', 'AbortError: The operation was aborted.'],
    ['a b c', 'UnknownError: The model crashed.'],
  ])
})

test('a reader that stops early (break) is logged with what it read, and no error', async () => {
  const { hh, events } = recordingClient()
  const session = observePromptAPI(await fakeLanguageModel('x y z').create(), hh)
  for await (const chunk of session.promptStreaming('go') as unknown as AsyncIterable<string>) if (chunk) break
  await sleep(0)
  expect(events[0]!.end).toMatchObject({ outputs: { content: 'x' } })
  expect(events[0]!.end!.error).toBeUndefined()
})
