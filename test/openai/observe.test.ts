// @vitest-environment node
/**
 * observeOpenAI with the real `openai` package in Node against a local SSE
 * server: the SDK's stream keeps its whole surface (`tee()`,
 * `toReadableStream()`, `controller`, `withResponse()`), and duck-typed
 * clients (WebLLM's MLCEngine shape, the Responses API) are observed too.
 * The Pollen client is a recording stand-in; the browser test sends for real.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { PollenClient } from '../../src/index.js'
import { recordingClient } from './recorder.js'
import { observeOpenAI } from '../../src/openai/index.js'

const WORDS = ['a', 'b', 'c', 'd']
let server: Server
let baseURL: string
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' })
    for (const word of WORDS) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`)
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`)
    res.end('data: [DONE]\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const params = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], stream: true as const }
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

test('tee(): both branches read every chunk, and the call is logged once', async () => {
  const { hh, events } = recordingClient()
  const openai = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), hh)
  const [left, right] = (await openai.chat.completions.create(params)).tee()
  const read = async (stream: AsyncIterable<any>) => {
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
    return text
  }
  expect(await Promise.all([read(left), read(right)])).toEqual(['abcd', 'abcd'])
  await settle()
  expect(events).toHaveLength(1)
  expect(events[0]!.end).toMatchObject({ outputs: { content: 'abcd' }, metadata: { total_tokens: 7, finish_reason: 'stop' } })
})

test('toReadableStream(), controller and withResponse() keep working', async () => {
  const { hh, events } = recordingClient()
  const openai = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), hh)
  const { data, response } = await openai.chat.completions.create(params).withResponse()
  expect(response.status).toBe(200)
  expect(data.controller).toBeInstanceOf(AbortController)
  const reader = data.toReadableStream().getReader()
  let lines = 0
  for (;;) {
    const { done } = await reader.read()
    if (done) break
    lines++
  }
  expect(lines).toBe(WORDS.length + 1)
  await settle()
  expect(events[0]!.end!.outputs.content).toBe('abcd')
})

test('an object with chat.completions.create in the OpenAI shape (WebLLM) is observed, and other methods still work', async () => {
  const { hh, events } = recordingClient()
  const engine = {
    chat: {
      completions: {
        async create(request: { model: string; messages: unknown[]; stream?: boolean }): Promise<any> {
          if (!request.stream) return { choices: [{ message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } }
          return (async function* () {
            yield { choices: [{ delta: { content: 'x' } }] }
            yield { choices: [{ delta: { content: 'y' }, finish_reason: 'stop' }] }
          })()
        },
      },
    },
    getMessage: () => 'kept',
  }
  const observed = observeOpenAI(engine, hh, { provider: 'webllm' })
  expect(observed.getMessage()).toBe('kept')
  let text = ''
  for await (const chunk of await observed.chat.completions.create({ model: 'Llama-3', messages: [], stream: true })) text += chunk.choices[0]!.delta.content
  await observed.chat.completions.create({ model: 'Llama-3', messages: [] })
  await settle()
  expect(text).toBe('xy')
  expect(events.map((e) => [e.start.config.provider, e.end!.outputs.content, e.end!.metadata.finish_reason])).toEqual([
    ['webllm', 'xy', 'stop'],
    ['webllm', 'whole', 'stop'],
  ])
  expect(events[1]!.end!.metadata).toMatchObject({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })
})

test('responses.create is observed, streamed and whole', async () => {
  const { hh, events } = recordingClient()
  const client = {
    responses: {
      async create(request: { model: string; input: string; stream?: boolean }): Promise<any> {
        if (!request.stream) return { output_text: 'done', status: 'completed', usage: { input_tokens: 2, output_tokens: 3, total_tokens: 5 } }
        return (async function* () {
          yield { type: 'response.output_text.delta', delta: 'he' }
          yield { type: 'response.output_text.delta', delta: 'y' }
          yield { type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 2, output_tokens: 1, total_tokens: 3 } } }
        })()
      },
    },
  }
  const observed = observeOpenAI(client, hh)
  for await (const _ of await observed.responses.create({ model: 'm', input: 'hi', stream: true })) void _
  await observed.responses.create({ model: 'm', input: 'hi' })
  await settle()
  expect(events.map((e) => e.end!.outputs.content)).toEqual(['hey', 'done'])
  expect(events[0]!.start.inputs.chat_history).toEqual([{ role: 'user', content: 'hi' }])
  expect(events[1]!.end!.metadata).toMatchObject({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5, finish_reason: 'completed' })
})

test('options: capture false logs no inputs or outputs; redact rewrites both; a throwing onStart or logger never breaks the call', async () => {
  const { hh, events } = recordingClient()
  const openai = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), hh, { capture: false })
  for await (const _ of await openai.chat.completions.create(params)) void _
  const masked = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), hh, {
    redact: (messages) => messages.map((m) => ({ ...m, content: String(m.content).replace(/[a-z]/g, '*') })),
  })
  for await (const _ of await masked.chat.completions.create(params)) void _
  await settle()
  expect(events[0]!.start.inputs).toEqual({})
  expect(events[0]!.end!.outputs).toBeUndefined()
  expect(events[1]!.start.inputs.chat_history).toEqual([{ role: 'user', content: '**' }])
  expect(events[1]!.end!.outputs.content).toBe('****')

  const broken = { start: () => { throw new Error('closed') } } as unknown as PollenClient
  let text = ''
  for await (const chunk of await observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), broken).chat.completions.create(params)) text += chunk.choices[0]?.delta?.content ?? ''
  expect(text).toBe('abcd')
  const throwing = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k' }), hh, { onStart: () => { throw new Error('app bug') } })
  let again = ''
  for await (const chunk of await throwing.chat.completions.create(params)) again += chunk.choices[0]?.delta?.content ?? ''
  expect(again).toBe('abcd')
})

test('the observed client hands out one object per property: chat, completions, create and other methods keep their identity', async () => {
  const { hh, events } = recordingClient()
  const openai = observeOpenAI(new OpenAI({ baseURL, apiKey: 'k', dangerouslyAllowBrowser: true }), hh)
  // An app's memo or effect dependencies compare these: a new wrapper per read would re-run them.
  expect(openai.chat).toBe(openai.chat)
  expect(openai.chat.completions).toBe(openai.chat.completions)
  expect(openai.chat.completions.create).toBe(openai.chat.completions.create)
  expect(openai.responses).toBe(openai.responses)
  expect(openai.models.list).toBe(openai.models.list)
  // Still observed through the kept wrapper, every call.
  const { create } = openai.chat.completions
  for (let i = 0; i < 2; i++) for await (const _ of await create(params)) void _
  await settle()
  expect(events.map((e) => e.end!.outputs.content)).toEqual(['abcd', 'abcd'])
})
